// The initial process stack, laid out exactly as fs/exec.c + fs/binfmt_elf.c create_elf_tables() do
// (randomization off). From the top: an 8-byte NULL, the execve filename (AT_EXECFN), the argv strings
// then the envp strings (ascending), 16-byte alignment, "x86_64" (AT_PLATFORM), 16 random bytes
// (AT_RANDOM), then, 16-byte aligned at the final sp: argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
import { randomFillSync } from 'node:crypto';
import { LinuxError, E } from '../kernel/errno.js';
import type { AddressSpace } from '../mm/address-space.js';
import { PAGE, PROT, STACK_SIZE, STACK_TOP } from '../mm/layout.js';
import { ARG_MAX_TOTAL, MAX_ARG_STRLEN } from '../mm/memory.js';

export const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12, GID: 13,
  EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, HWCAP2: 26, EXECFN: 31,
  SYSINFO_EHDR: 33, MINSIGSTKSZ: 51,
} as const;

/**
 * CPUID.1:EDX of the emulated CPU (fpu ... sse sse2 htt-less, as Unicorn's qemu64 model reports): glibc reads
 * features from CPUID itself; AT_HWCAP only has to agree. No AVX anywhere (that is in ECX / leaf 7).
 */
export const HWCAP_X86 = 0x078bfbff;
/** Signal frame size with an FXSAVE (no XSAVE/AVX) area: the MINSIGSTKSZ bound glibc expects. */
export const MINSIGSTKSZ = 2048;

export interface StackParams {
  argv: string[];
  envp: string[];
  /** The filename passed to execve (AT_EXECFN). */
  execfn: string;
  creds: { uid: number; euid: number; gid: number; egid: number; secure?: boolean };
  phdr: number; phnum: number; entry: number;
  /** Interpreter load address (AT_BASE), 0 without one. */
  interpBase: number;
  execStack: boolean;
}

/** A JS string as guest bytes: byte strings (every char <= 0xff) as latin1, anything else as UTF-8. */
export function toBytes(s: string): Buffer {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u00ff]/.test(s) ? Buffer.from(s, 'utf8') : Buffer.from(s, 'latin1');
}

/** E2BIG rules of fs/exec.c (MAX_ARG_STRLEN per string, a quarter of the stack rlimit in all). */
export function checkArgLimits(strs: Buffer[], nptrs: number): void {
  let total = nptrs * 8;
  for (const b of strs) {
    if (b.length + 1 > MAX_ARG_STRLEN) throw new LinuxError(E.E2BIG);
    total += b.length + 1;
  }
  if (total > ARG_MAX_TOTAL) throw new LinuxError(E.E2BIG);
}

/** Map the stack VMA ([stack], growsdown, 8 MiB under STACK_TOP). */
export function mapStack(mm: AddressSpace, execStack: boolean): void {
  mm.mapFixed(STACK_TOP - STACK_SIZE, STACK_SIZE, {
    prot: PROT.READ | PROT.WRITE | (execStack ? PROT.EXEC : 0), growsDown: true, kind: 'stack', name: '[stack]',
  });
}

/** Write the strings, vectors and auxv; returns the initial sp (argc lives there). */
export function buildStack(mm: AddressSpace, p: StackParams): number {
  const argv = p.argv.map(toBytes), envp = p.envp.map(toBytes), execfn = toBytes(p.execfn);
  checkArgLimits([execfn, ...argv, ...envp], Math.max(argv.length, 1) + envp.length);
  let sp = STACK_TOP - 8;
  const put = (b: Uint8Array): number => { sp -= b.length; mm.poke(sp, b); return sp; };
  const putStr = (b: Buffer): number => put(Buffer.concat([b, Buffer.alloc(1)]));
  const execfnAddr = putStr(execfn);
  const strings = [...argv, ...envp];
  const blockLen = strings.reduce((n, b) => n + b.length + 1, 0);
  sp -= blockLen;
  const addrs: number[] = [];
  let a = sp;
  for (const b of strings) { addrs.push(a); mm.poke(a, b); mm.poke(a + b.length, new Uint8Array(1)); a += b.length + 1; }
  const envStart = addrs[argv.length] ?? a;
  mm.args = { argStart: sp, argEnd: envStart, envStart, envEnd: a };
  sp -= sp % 16; // arch_align_stack
  const platform = putStr(Buffer.from('x86_64', 'latin1'));
  const rnd = put(randomFillSync(new Uint8Array(16)));
  const auxv: Array<[number, number]> = [
    [AT.MINSIGSTKSZ, MINSIGSTKSZ], // ARCH_DLINFO (no vDSO: no AT_SYSINFO_EHDR)
    [AT.HWCAP, HWCAP_X86], [AT.PAGESZ, PAGE], [AT.CLKTCK, 100], [AT.PHDR, p.phdr], [AT.PHENT, 56],
    [AT.PHNUM, p.phnum], [AT.BASE, p.interpBase], [AT.FLAGS, 0], [AT.ENTRY, p.entry],
    [AT.UID, p.creds.uid], [AT.EUID, p.creds.euid], [AT.GID, p.creds.gid], [AT.EGID, p.creds.egid],
    [AT.SECURE, p.creds.secure ? 1 : 0], [AT.RANDOM, rnd], [AT.HWCAP2, 0], [AT.EXECFN, execfnAddr], [AT.PLATFORM, platform],
    [AT.NULL, 0],
  ];
  const words = [argv.length, ...addrs.slice(0, argv.length), 0, ...addrs.slice(argv.length), 0, ...auxv.flat()];
  mm.auxv = Buffer.alloc(auxv.length * 16);
  auxv.flat().forEach((w, i) => (mm.auxv as Buffer).writeBigUInt64LE(BigInt(w), i * 8));
  sp -= auxv.length * 16;
  sp = sp - (words.length - auxv.length * 2) * 8;
  sp -= sp % 16; // STACK_ROUND
  const buf = Buffer.alloc(words.length * 8);
  words.forEach((w, i) => buf.writeBigUInt64LE(BigInt(w), i * 8));
  mm.poke(sp, buf);
  return sp;
}
