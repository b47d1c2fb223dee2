// The initial stack read back from guest memory: argc/argv/envp/auxv as create_elf_tables lays them out.
import test from 'ava';
import { LinuxError, E } from '../../../src/emu/kernel/errno.js';
import { loadImage, type LoadedImage } from '../../../src/emu/loader/exec.js';
import { AT, HWCAP_X86 } from '../../../src/emu/loader/stack.js';
import { STACK_TOP, ELF_ET_DYN_BASE, MMAP_BASE } from '../../../src/emu/mm/layout.js';
import { CREDS, fakeSpace, hostFile, opener } from './helpers.js';

const LD = '/lib64/ld-linux-x86-64.so.2';
const files = { '/bin/busybox': hostFile('/bin/busybox'), '/bin/ls': hostFile('/bin/ls'), [LD]: hostFile(LD) };

function parse(img: LoadedImage) {
  const m = img.mm.memory;
  let p = img.sp;
  const argc = m.readU64(p); p += 8;
  const argv: string[] = [];
  for (let i = 0; i < argc; i++, p += 8) argv.push(m.cstring(m.readU64(p)));
  const argvEnd = m.readU64(p); p += 8;
  const envp: string[] = [];
  for (let a = m.readU64(p); a !== 0; p += 8, a = m.readU64(p)) envp.push(m.cstring(a));
  p += 8;
  const auxv = new Map<number, number>();
  const order: number[] = [];
  for (;; p += 16) {
    const k = m.readU64(p), v = m.readU64(p + 8);
    order.push(k);
    if (k === AT.NULL) break;
    auxv.set(k, v);
  }
  return { argc, argv, argvEnd, envp, auxv, order };
}

test('static ET_EXEC: argv, envp, auxv and alignment', (t) => {
  const img = loadImage(opener(files), '/bin/busybox', ['busybox', 'echo', 'h\u00e9'], ['A=1', 'PATH=/bin'], CREDS, fakeSpace);
  t.is(img.sp % 16, 0);
  t.true(img.sp < STACK_TOP && img.sp > STACK_TOP - 65536);
  const s = parse(img);
  t.is(s.argc, 3);
  t.deepEqual(s.argv, ['busybox', 'echo', Buffer.from('h\u00e9', 'latin1').toString('latin1')]);
  t.is(s.argvEnd, 0);
  t.deepEqual(s.envp, ['A=1', 'PATH=/bin']);
  t.deepEqual(s.order, [AT.MINSIGSTKSZ, AT.HWCAP, AT.PAGESZ, AT.CLKTCK, AT.PHDR, AT.PHENT, AT.PHNUM, AT.BASE, AT.FLAGS,
    AT.ENTRY, AT.UID, AT.EUID, AT.GID, AT.EGID, AT.SECURE, AT.RANDOM, AT.HWCAP2, AT.EXECFN, AT.PLATFORM, AT.NULL]);
  const a = s.auxv;
  t.is(a.get(AT.PAGESZ), 4096);
  t.is(a.get(AT.CLKTCK), 100);
  t.is(a.get(AT.HWCAP), HWCAP_X86);
  t.is(a.get(AT.BASE), 0);
  t.is(a.get(AT.ENTRY), img.entry);
  t.is(a.get(AT.UID), 1000); t.is(a.get(AT.EUID), 1001); t.is(a.get(AT.GID), 100); t.is(a.get(AT.EGID), 101);
  t.is(a.get(AT.SECURE), 0);
  t.is(img.mm.memory.cstring(a.get(AT.EXECFN)!), '/bin/busybox');
  t.is(img.mm.memory.cstring(a.get(AT.PLATFORM)!), 'x86_64');
  t.is(img.mm.memory.read(a.get(AT.RANDOM)!, 16).length, 16);
  // AT_PHDR points at a copy of the program headers: the first one matches the file's
  const phdr = a.get(AT.PHDR)!;
  const bb = files['/bin/busybox'];
  const phoff = Number(new DataView(bb.buffer).getBigUint64(32, true));
  t.deepEqual(img.mm.memory.read(phdr, 56), bb.subarray(phoff, phoff + 56));
  t.is(a.get(AT.PHNUM), new DataView(bb.buffer).getUint16(56, true));
  // execfn is the highest string, 8 bytes (a NULL) below the top
  t.is(a.get(AT.EXECFN)! + '/bin/busybox'.length + 1, STACK_TOP - 8);
  t.is(img.mm.vmas.find(STACK_TOP - 1)?.name, '[stack]');
  t.is(img.mm.brk(0), img.mm.startBrk);
  t.true(img.mm.startBrk > 0x400000 && img.mm.startBrk < 0x1000000);
  img.mm.close();
});

test('PIE with PT_INTERP: PIE at 0x555555554000, interpreter under mmap_base, entry is the interpreter', (t) => {
  const img = loadImage(opener(files), '/bin/ls', ['ls', '-l'], [], CREDS, fakeSpace);
  const s = parse(img);
  const base = s.auxv.get(AT.BASE)!;
  t.true(base > 0x7f0000000000 && base < MMAP_BASE);
  t.is(img.mm.vmas.find(base)?.name, '/lib64/ld-linux-x86-64.so.2');
  t.is(s.auxv.get(AT.PHDR), ELF_ET_DYN_BASE + 0x40);
  t.true(s.auxv.get(AT.ENTRY)! > ELF_ET_DYN_BASE && s.auxv.get(AT.ENTRY)! < ELF_ET_DYN_BASE + 0x100000);
  t.true(img.entry > base && img.entry < MMAP_BASE);
  t.deepEqual(s.envp, []);
  t.is(img.exe, '/bin/ls');
  img.mm.close();
});

test('#! rewrites argv as Linux does, nests up to 5 scripts, ELOOP past it', (t) => {
  const fs = {
    ...files,
    '/s0': Buffer.from('#!/bin/busybox sh -e\necho\n'),
    '/s1': Buffer.from('#!/s0\n'), '/s2': Buffer.from('#!/s1\n'), '/s3': Buffer.from('#!/s2\n'),
    '/s4': Buffer.from('#!/s3\n'), '/s5': Buffer.from('#!/s4\n'),
    '/bad': Buffer.from('#!/nonexistent\n'),
  };
  const img = loadImage(opener(fs), '/s0', ['zero', 'a', 'b'], [], CREDS, fakeSpace);
  t.deepEqual(img.argv, ['/bin/busybox', 'sh -e', '/s0', 'a', 'b']);
  t.deepEqual(parse(img).argv, img.argv);
  t.is(img.exe, '/bin/busybox');
  t.is(img.mm.memory.cstring(parse(img).auxv.get(AT.EXECFN)!), '/s0');
  img.mm.close();
  const deep = loadImage(opener(fs), '/s4', ['s4'], [], CREDS, fakeSpace);
  t.deepEqual(deep.argv, ['/bin/busybox', 'sh -e', '/s0', '/s1', '/s2', '/s3', '/s4']);
  deep.mm.close();
  const err = t.throws(() => loadImage(opener(fs), '/s5', ['s5'], [], CREDS, fakeSpace));
  t.is((err as LinuxError).errno, E.ELOOP);
  t.is((t.throws(() => loadImage(opener(fs), '/bad', ['bad'], [], CREDS, fakeSpace)) as LinuxError).errno, E.ENOENT);
});

test('E2BIG for one string over MAX_ARG_STRLEN or over 2 MiB in all; argc 0 gets an empty argv[0]', (t) => {
  const big = 'x'.repeat(131072);
  t.is((t.throws(() => loadImage(opener(files), '/bin/busybox', ['b', big], [], CREDS, fakeSpace)) as LinuxError).errno, E.E2BIG);
  const many = Array.from({ length: 40 }, () => 'y'.repeat(60000));
  t.is((t.throws(() => loadImage(opener(files), '/bin/busybox', ['b'], many, CREDS, fakeSpace)) as LinuxError).errno, E.E2BIG);
  const ok = loadImage(opener(files), '/bin/busybox', ['b', 'x'.repeat(131071)], [], CREDS, fakeSpace);
  ok.mm.close();
  const zero = loadImage(opener(files), '/bin/busybox', [], [], CREDS, fakeSpace);
  t.deepEqual(parse(zero).argv, ['']);
  zero.mm.close();
});
