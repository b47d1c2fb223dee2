// seccomp (src/emu/kernel/seccomp.ts, bpf-classic.ts): the classic BPF checker and interpreter directly, and
// the whole of seccomp(2) differentially (test/programs/seccomp.c: strict mode, filter actions, stacking,
// inheritance, privilege, validation, TSYNC), user notification (test/programs/seccomp-notify.c), and a filter
// the rootfs's libseccomp generates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { Kernel } from '../../../src/emu/kernel/kernel.js';
import { rootCreds } from '../../../src/emu/kernel/spawn.js';
import { HostStream } from '../../../src/emu/fs/host-stream.js';
import { O } from '../../../src/emu/fs/constants.js';
import { HostLauncher } from '../../../src/interop/host-launcher.js';
import { compileStatic } from '../../helpers/compile.js';
import { checkProgram, runProgram } from '../../../src/emu/kernel/bpf-classic.js';
import { LinuxError } from '../../../src/emu/kernel/errno.js';
import { assertSameAsNative } from '../../helpers/program-diff.js';
import { rootfsUnavailableReason } from '../../helpers/rootfs.js';

/** struct sock_filter words [code, jt, jf, k] as the bytes a guest passes. */
function prog(...insns: [number, number, number, number][]): Uint8Array {
  const b = new Uint8Array(insns.length * 8);
  const dv = new DataView(b.buffer);
  insns.forEach(([code, jt, jf, k], i) => {
    dv.setUint16(i * 8, code, true); dv.setUint8(i * 8 + 2, jt); dv.setUint8(i * 8 + 3, jf); dv.setUint32(i * 8 + 4, k, true);
  });
  return b;
}
const check = (...insns: [number, number, number, number][]) => checkProgram(prog(...insns), insns.length);
const einval = (f: () => unknown) => (t: { is: (a: unknown, b: unknown) => void; throws: (f: () => unknown) => unknown }) => {
  const e = t.throws(f) as LinuxError;
  t.is(e.errno, 22);
};

const LD_ABS = 0x20, JEQ = 0x15, RET = 0x06, RET_A = 0x16, ALLOW = 0x7fff0000;

test('a filter matching nr and a 64-bit argument by its two words', (t) => {
  const p = check([LD_ABS, 0, 0, 0], [JEQ, 0, 3, 39], [LD_ABS, 0, 0, 20], [JEQ, 0, 1, 1], [RET, 0, 0, 0x50007], [RET, 0, 0, ALLOW]);
  const data = new Uint32Array(16), mem = new Uint32Array(16);
  data[0] = 39; data[5] = 1;
  t.is(runProgram(p, data, mem), 0x50007);
  data[5] = 0;
  t.is(runProgram(p, data, mem), ALLOW);
  data[0] = 40; data[5] = 1;
  t.is(runProgram(p, data, mem), ALLOW);
});

test('ALU results are unsigned 32-bit; RET A returns the accumulator', (t) => {
  // A = 0 - 1 = 0xffffffff; A *= 0xffffffff -> 1; A <<= X (33: shifts count modulo 32) -> 2
  const p = check([0x00, 0, 0, 0], [0x14, 0, 0, 1], [0x24, 0, 0, 0xffffffff], [0x01, 0, 0, 33], [0x6c, 0, 0, 0], [RET_A, 0, 0, 0]);
  t.is(runProgram(p, new Uint32Array(16), new Uint32Array(16)), 2);
});

test('the checker refuses what Linux refuses', (t) => {
  einval(() => checkProgram(new Uint8Array(0), 0))(t);
  einval(() => check([LD_ABS, 0, 0, 60], [0x05, 0, 0, 5]))(t); // last not RET... and JA out of range
  einval(() => check([LD_ABS, 0, 0, 64], [RET, 0, 0, 0]))(t);
  einval(() => check([LD_ABS, 0, 0, 6], [RET, 0, 0, 0]))(t);
  einval(() => check([JEQ, 1, 0, 0], [RET, 0, 0, 0]))(t);
  einval(() => check([0x94, 0, 0, 3], [RET, 0, 0, 0]))(t); // BPF_MOD
  einval(() => check([0x60, 0, 0, 0], [RET, 0, 0, 0]))(t); // M[0] read before a store
  t.notThrows(() => check([0x02, 0, 0, 0], [0x60, 0, 0, 0], [RET_A, 0, 0, 0]));
});

test('random programs: the checker refuses with EINVAL or accepts, and what it accepts runs to a verdict', (t) => {
  // opcodes seccomp allows, and a few it does not; small k, jt, jf so that many programs pass the checker
  const codes = [0x20, 0x80, 0x81, 0x00, 0x01, 0x60, 0x61, 0x02, 0x03, 0x07, 0x87, 0x06, 0x16, 0x84, 0x05, 0x04, 0x0c, 0x14, 0x24,
    0x34, 0x3c, 0x44, 0x54, 0x64, 0x6c, 0x74, 0xa4, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x94, 0x28, 0x30, 0x40];
  let seed = 12345;
  const rnd = (n: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    const len = 1 + rnd(12);
    const insns: [number, number, number, number][] = [];
    for (let j = 0; j < len; j++) {
      const code = codes[rnd(codes.length)];
      insns.push([code, rnd(4), rnd(4), code === 0x20 ? rnd(17) * 4 : rnd(3) === 0 ? rnd(0x100000000) : rnd(20)]);
    }
    if (rnd(2)) insns.push([RET_A, 0, 0, 0]);
    let p;
    try { p = check(...insns); } catch (e) { t.is((e as LinuxError).errno, 22); continue; }
    accepted++;
    const data = Uint32Array.from({ length: 16 }, () => rnd(0x100000000));
    const r = runProgram(p, data, new Uint32Array(16));
    t.true(Number.isInteger(r) && r >= 0 && r <= 0xffffffff, `verdict ${r}`);
  }
  t.true(accepted > 100, `only ${accepted} programs accepted`);
});

const why = rootfsUnavailableReason();
(why ? test.skip : test)(`seccomp: strict mode, filters, actions, stacking, inheritance, validation, TSYNC${why ? ` (${why})` : ''}`,
  (t) => assertSameAsNative(t, 'seccomp', undefined, 120_000, true)); // own mount namespace: the program mounts /proc

(why ? test.skip : test)(`seccomp: a filter made by the rootfs's libseccomp${why ? ` (${why})` : ''}`,
  (t) => assertSameAsNative(t, 'libseccomp', undefined, 120_000, false, (root) => [path.join(root, 'usr/lib/x86_64-linux-gnu/libseccomp.so.2')]));

(why ? test.skip : test)(`seccomp user notification: a supervisor thread answers the filtered calls${why ? ` (${why})` : ''}`,
  (t) => assertSameAsNative(t, 'seccomp-notify', undefined, 120_000, true)); // own mount namespace: the program mounts /proc

(process.platform === 'linux' ? test : test.skip)('under a filter, a host program cannot be exec\'d: nothing would filter it', async (t) => {
  const root = compileStatic('seccomp');
  fs.mkdirSync(path.join(root, 'mnt', 'host'), { recursive: true });
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-seccomp-')), 'out');
  const fd = fs.openSync(out, 'w');
  const kernel = new Kernel({ root, hostMounts: [{ path: '/mnt/host', hostDir: '/' }], interop: new HostLauncher(), log: () => {} });
  const w = new HostStream(fd, O.WRONLY);
  const proc = kernel.spawn({ argv: ['/seccomp', 'exec-under-filter', '/mnt/host/usr/bin/true'], envp: [], cwd: '/', creds: rootCreds(), stdio: [w, w, w] });
  t.is(await proc.exited, 0);
  fs.closeSync(fd);
  t.is(fs.readFileSync(out, 'utf8'), 'install: 0\nexecv: -1 EPERM\n');
});
