// Malformed executables: loadImage either succeeds or throws a LinuxError, never anything else.
import test from 'ava';
import { LinuxError, E } from '../../../src/emu/kernel/errno.js';
import { loadImage } from '../../../src/emu/loader/exec.js';
import { CREDS, fakeSpace, hostFile, opener } from './helpers.js';

const LD = '/lib64/ld-linux-x86-64.so.2';
const busybox = hostFile('/bin/busybox');
const ls = hostFile('/bin/ls');
const ld = hostFile(LD);

/** Small deterministic PRNG (xorshift32) so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 2 ** 32; };
}

function outcome(files: Record<string, Uint8Array>, path: string): string {
  try {
    const img = loadImage(opener(files), path, [path], [], CREDS, fakeSpace);
    img.mm.close();
    return 'ok';
  } catch (e) {
    if (e instanceof LinuxError) return `errno ${e.errno}`;
    throw e;
  }
}

function mutate(orig: Uint8Array, r: () => number): Uint8Array {
  const dv = new DataView(orig.buffer, orig.byteOffset);
  const phoff = Number(dv.getBigUint64(32, true));
  const region = phoff + dv.getUint16(56, true) * 56; // headers + program headers
  const kind = r();
  if (kind < 0.25) return orig.slice(0, Math.floor(r() * Math.min(orig.length, region + 8192))); // truncation
  const b = orig.slice();
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * region);
    if (kind < 0.6) b[at] = Math.floor(r() * 256); // random byte
    else if (kind < 0.8) b[at] ^= 1 << Math.floor(r() * 8); // bit flip
    else b.fill(r() < 0.5 ? 0xff : 0, at, at + 8); // extreme u64
  }
  return b;
}

for (const [name, image, path] of [['busybox (static)', busybox, '/bin/busybox'], ['ls (PIE + interp)', ls, '/bin/ls']] as const) {
  test(`${name}: 300 corrupted or truncated copies load or fail with a LinuxError`, (t) => {
    const r = rng(name.length * 7919);
    const seen = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const o = outcome({ [path]: mutate(image, r), [LD]: ld }, path);
      seen.set(o, (seen.get(o) ?? 0) + 1);
    }
    t.log([...seen].map(([k, v]) => `${k}: ${v}`).join(', '));
    t.true((seen.get(`errno ${E.ENOEXEC}`) ?? 0) > 50);
  });
}

test('corrupted interpreters fail with a LinuxError (ELIBBAD and friends)', (t) => {
  const r = rng(4242);
  for (let i = 0; i < 150; i++) t.notThrows(() => outcome({ '/bin/ls': ls, [LD]: mutate(ld, r) }, '/bin/ls'));
});

test('the pristine binaries load', (t) => {
  t.is(outcome({ '/bin/busybox': busybox }, '/bin/busybox'), 'ok');
  t.is(outcome({ '/bin/ls': ls, [LD]: ld }, '/bin/ls'), 'ok');
});

test('wrong class or machine is ENOEXEC, a missing interpreter ENOENT, garbage ENOEXEC', (t) => {
  const c32 = busybox.slice(); c32[4] = 1;
  const i386 = busybox.slice(); i386[18] = 3; i386[19] = 0;
  const be = busybox.slice(); be[5] = 2;
  t.is(outcome({ '/x': c32 }, '/x'), `errno ${E.ENOEXEC}`);
  t.is(outcome({ '/x': i386 }, '/x'), `errno ${E.ENOEXEC}`);
  t.is(outcome({ '/x': be }, '/x'), `errno ${E.ENOEXEC}`);
  t.is(outcome({ '/bin/ls': ls }, '/bin/ls'), `errno ${E.ENOENT}`);
  t.is(outcome({ '/x': new Uint8Array(0) }, '/x'), `errno ${E.ENOEXEC}`);
  t.is(outcome({ '/x': Buffer.from('echo hi\n') }, '/x'), `errno ${E.ENOEXEC}`);
  t.is(outcome({ '/bin/ls': ls, [LD]: Buffer.from('#!/bin/sh\n') }, '/bin/ls'), 'errno 80'); // ELIBBAD
});
