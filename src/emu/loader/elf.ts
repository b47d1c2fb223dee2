// ELF64 header and program-header parsing with the checks of fs/binfmt_elf.c (load_elf_binary,
// load_elf_phdrs, elf_check_arch) plus sanity of what we map. Any malformation is ENOEXEC: random bytes
// must never crash the loader.
import type { BuiltinProgram } from '../fs/builtin-fs.js';
import { LinuxError, E } from '../kernel/errno.js';
import { PAGE, TASK_SIZE } from '../mm/layout.js';

export interface ExecSource {
  /** Guest path it was opened by. */
  path: string;
  size: number;
  /** st_dev and st_ino, shown in /proc/pid/maps. */
  dev?: number;
  ino?: bigint;
  /** The host path, when the file is a host program (on a host drive): the host runs it, not the emulator. */
  hostPath?: string | null;
  /** A kernel builtin program (fs/builtin-fs.ts): the kernel runs it, not the emulator. */
  builtin?: BuiltinProgram | null;
  /** The inode's mode and owner (set-user-ID and set-group-ID bits), and whether its mount is nosuid. */
  mode?: number;
  uid?: number;
  gid?: number;
  nosuid?: boolean;
  /** Named only through a close-on-exec fd (execveat): an interpreter could not open it (BINPRM_FLAGS_PATH_INACCESSIBLE). */
  pathInaccessible?: boolean;
  readAt(buf: Uint8Array, pos: number): number;
}

export const ET_EXEC = 2, ET_DYN = 3;
export const EM_X86_64 = 62;
export const PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
export const PF_X = 1, PF_W = 2, PF_R = 4;
export const EHDR_SIZE = 64, PHDR_SIZE = 56;
const PATH_MAX = 4096;
/** load_elf_phdrs(): the table may not exceed 64 KiB. */
const PHDRS_MAX_BYTES = 65536;

export interface Phdr {
  type: number; flags: number; offset: number; vaddr: number; filesz: number; memsz: number; align: number;
}

export interface ElfImage {
  type: number;
  entry: number;
  phoff: number;
  phnum: number;
  phdrs: Phdr[];
  /** PT_LOAD segments, ascending by vaddr. */
  loads: Phdr[];
  /** PT_INTERP path (up to its NUL), or null. */
  interp: string | null;
  /** PT_GNU_STACK asks for an executable stack. */
  execStack: boolean;
}

const isPow2 = (n: number): boolean => Number.isFinite(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;

const noexec = (why: string): LinuxError => new LinuxError(E.ENOEXEC, why);

/** Read exactly len bytes at pos (short read → ENOEXEC: the file lies about its layout). */
export function readExact(src: ExecSource, pos: number, len: number): Uint8Array {
  if (pos < 0 || len < 0 || pos + len > src.size) throw noexec('range past end of file');
  const buf = new Uint8Array(len);
  let done = 0;
  while (done < len) {
    const n = src.readAt(buf.subarray(done), pos + done);
    if (n <= 0) throw noexec('short read');
    done += n;
  }
  return buf;
}

/** The ELF magic. */
export const isElf = (head: Uint8Array): boolean =>
  head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;

/** u64 as a number; values past 2^53 become Infinity so every range check fails cleanly. */
function u64(dv: DataView, off: number): number {
  const hi = dv.getUint32(off + 4, true);
  return hi >= 0x200000 ? Infinity : hi * 2 ** 32 + dv.getUint32(off, true);
}

export function parseElf(src: ExecSource): ElfImage {
  if (src.size < EHDR_SIZE) throw noexec('too short for an ELF header');
  const eh = readExact(src, 0, EHDR_SIZE);
  if (!isElf(eh)) throw noexec('no ELF magic');
  if (eh[4] !== 2) throw noexec('not ELFCLASS64');
  if (eh[5] !== 1) throw noexec('not little-endian');
  const dv = new DataView(eh.buffer);
  const type = dv.getUint16(16, true);
  if (type !== ET_EXEC && type !== ET_DYN) throw noexec('not ET_EXEC or ET_DYN');
  if (dv.getUint16(18, true) !== EM_X86_64) throw noexec('not x86-64');
  const entry = u64(dv, 24);
  const phoff = u64(dv, 32);
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  if (phentsize !== PHDR_SIZE) throw noexec('bad e_phentsize');
  if (phnum < 1 || phnum * PHDR_SIZE > PHDRS_MAX_BYTES) throw noexec('bad e_phnum');
  const table = readExact(src, phoff, phnum * PHDR_SIZE);
  const tv = new DataView(table.buffer);
  const phdrs: Phdr[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = i * PHDR_SIZE;
    phdrs.push({
      type: tv.getUint32(o, true), flags: tv.getUint32(o + 4, true), offset: u64(tv, o + 8),
      vaddr: u64(tv, o + 16), filesz: u64(tv, o + 32), memsz: u64(tv, o + 40), align: u64(tv, o + 48),
    });
  }
  const loads = phdrs.filter((p) => p.type === PT_LOAD);
  checkLoads(loads, src.size);
  let interp: string | null = null;
  let execStack = false;
  for (const p of phdrs) {
    if (p.type === PT_INTERP) {
      if (interp !== null) throw noexec('more than one PT_INTERP');
      if (p.filesz < 2 || p.filesz > PATH_MAX) throw noexec('bad PT_INTERP size');
      const bytes = readExact(src, p.offset, p.filesz);
      if (bytes[bytes.length - 1] !== 0) throw noexec('PT_INTERP not NUL-terminated');
      interp = Buffer.from(bytes.buffer, 0, bytes.indexOf(0)).toString('latin1');
      if (interp === '') throw noexec('empty PT_INTERP');
    } else if (p.type === PT_GNU_STACK) {
      execStack = (p.flags & PF_X) !== 0;
    }
  }
  if (!(entry < TASK_SIZE)) throw noexec('entry point out of range');
  return { type, entry, phoff, phnum, phdrs, loads, interp, execStack };
}

/** PT_LOAD sanity: in the file, in the address space, page-congruent, ascending and non-overlapping. */
function checkLoads(loads: Phdr[], fileSize: number): void {
  if (loads.length === 0) throw noexec('no PT_LOAD');
  let prevEnd = 0;
  for (const p of loads) {
    if (p.filesz > p.memsz) throw noexec('p_filesz > p_memsz');
    if (!(p.offset + p.filesz <= fileSize)) throw noexec('segment past end of file');
    if (!(p.vaddr + p.memsz <= TASK_SIZE)) throw noexec('segment out of the address space');
    if ((p.vaddr - p.offset) % PAGE !== 0) throw noexec('p_vaddr and p_offset not congruent modulo the page size');
    if (p.align > 1 && !isPow2(p.align)) throw noexec('p_align not a power of two');
    if (p.vaddr < prevEnd) throw noexec('PT_LOAD segments overlap or are not ascending');
    prevEnd = p.vaddr + p.memsz;
  }
}

/** The largest power-of-two p_align of the PT_LOADs, at least a page (binfmt_elf.c maximum_alignment). */
export function maxAlign(loads: Phdr[]): number {
  let a = PAGE;
  for (const p of loads) {
    if (p.align > a && p.align <= 0x40000000 && isPow2(p.align)) a = p.align;
  }
  return a;
}
