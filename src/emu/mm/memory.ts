// GuestMemory over an AddressSpace: copy_{from,to}_user semantics. Every byte is checked against the VMAs
// (read needs an accessible page, write needs PROT_WRITE; x86 makes W and X imply R) and a bad byte is
// EFAULT. Fast path: the last (VMA ∩ block) piece is cached, keyed by the address space's generation.
import { LinuxError, E } from '../kernel/errno.js';
import type { AddressSpace } from './address-space.js';
import type { GuestMemory, IoVec } from './guest-memory.js';
import { PROT, TASK_SIZE, effectiveProt } from './layout.js';

export const PATH_MAX = 4096;
export const IOV_MAX = 1024;
/** include/uapi/linux/binfmts.h: one argv/envp string, NUL included. */
export const MAX_ARG_STRLEN = 131072;
export const MAX_ARG_STRINGS = 0x7fffffff;
/** fs/exec.c bprm_stack_limits(): strings + pointers may use a quarter of the 8 MiB stack rlimit. */
export const ARG_MAX_TOTAL = 2 * 1024 * 1024;
/** SSIZE_MAX + 1 (2^63): a total at or past it is EINVAL. */
const SSIZE_LIMIT = 2 ** 63;
const TWO32 = 2 ** 32;

const efault = (addr: number): LinuxError => new LinuxError(E.EFAULT, `0x${addr.toString(16)}`);

/** Latin-1 view of bytes (one char per byte): the kernel's byte strings. */
const latin1 = (u8: Uint8Array): string => Buffer.from(u8.buffer, u8.byteOffset, u8.length).toString('latin1');

export class MmMemory implements GuestMemory {
  // Cached piece: [start, end) lies in one VMA and one block.
  private gen = -1;
  private start = 0;
  private end = 0;
  private canRead = false;
  private canWrite = false;
  private exec = false;
  private base = 0;
  private u8: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(new ArrayBuffer(8));

  constructor(private readonly mm: AddressSpace) {}

  /** Load the piece containing addr into the cache; false if addr is unmapped. */
  private load(addr: number): boolean {
    const v = this.mm.vmas.find(addr);
    const b = v && this.mm.backing.find(addr);
    if (!v || !b) return false;
    const p = effectiveProt(v.prot);
    this.gen = this.mm.gen;
    this.start = Math.max(v.start, b.start);
    this.end = Math.min(v.end, b.end);
    this.canRead = (p & PROT.READ) !== 0;
    this.canWrite = (p & PROT.WRITE) !== 0;
    this.exec = (p & PROT.EXEC) !== 0;
    if (this.u8 !== b.u8) { this.u8 = b.u8; this.dv = new DataView(b.u8.buffer, b.u8.byteOffset, b.u8.byteLength); }
    this.base = b.start;
    return true;
  }

  /** Offset of addr in the cached block if [addr, addr+len) is one accessible piece, else -1. */
  private fast(addr: number, len: number, write: boolean): number {
    if (this.gen !== this.mm.gen || addr < this.start || addr >= this.end) {
      if (!(addr >= 0 && addr < TASK_SIZE) || !this.load(addr)) return -1;
    }
    if (addr + len > this.end || !(write ? this.canWrite : this.canRead)) return -1;
    if (write && this.exec) this.mm.backing.flushCode(addr, addr + len);
    return addr - this.base;
  }

  /** EFAULT unless every byte of [addr, addr+len) is accessible for the access. */
  private check(addr: number, len: number, write: boolean): void {
    if (!(Number.isInteger(addr) && addr >= 0 && len >= 0 && addr + len <= TASK_SIZE)) throw efault(addr);
    const need = write ? PROT.WRITE : PROT.READ;
    let a = addr;
    const end = addr + len;
    for (const v of this.mm.vmas.overlapping(addr, end)) {
      if (v.start > a || !(effectiveProt(v.prot) & need)) throw efault(Math.max(a, v.start));
      if (write && (v.prot & PROT.EXEC)) this.mm.backing.flushCode(Math.max(v.start, addr), Math.min(v.end, end));
      a = v.end;
    }
    if (a < end) throw efault(a);
  }

  slices(addr: number, len: number, write: boolean): Uint8Array[] {
    if (len === 0) return [];
    const off = this.fast(addr, len, write);
    if (off >= 0) return [this.u8.subarray(off, off + len)];
    this.check(addr, len, write);
    return this.mm.backing.views(addr, addr + len);
  }

  read(addr: number, len: number): Uint8Array {
    const off = this.fast(addr, len, false);
    if (off >= 0) return this.u8.slice(off, off + len);
    const out = new Uint8Array(len);
    let o = 0;
    for (const s of this.slices(addr, len, false)) { out.set(s, o); o += s.length; }
    return out;
  }

  write(addr: number, data: Uint8Array): void {
    const off = this.fast(addr, data.length, true);
    if (off >= 0) { this.u8.set(data, off); return; }
    let o = 0;
    for (const s of this.slices(addr, data.length, true)) { s.set(data.subarray(o, o + s.length)); o += s.length; }
  }

  cstring(addr: number, max = PATH_MAX): string {
    return this.cstr(addr, max, E.ENAMETOOLONG).s;
  }

  /** Scan for the NUL; `tooLong` when none within `max` bytes. Returns the string and its byte length. */
  private cstr(addr: number, max: number, tooLong: number): { s: string; n: number } {
    const parts: Uint8Array[] = [];
    let a = addr, n = 0;
    for (;;) {
      if (this.fast(a, 1, false) < 0) {
        this.check(a, 1, false); // throws EFAULT
        this.load(a);
      }
      const off = a - this.base;
      const lim = Math.min(this.end - this.base, off + (max - n));
      const z = this.u8.subarray(off, lim).indexOf(0);
      if (z >= 0) {
        parts.push(this.u8.subarray(off, off + z));
        n += z;
        break;
      }
      parts.push(this.u8.subarray(off, lim));
      n += lim - off;
      if (n >= max) throw new LinuxError(tooLong);
      a = this.end;
    }
    const s = parts.length === 1 ? latin1(parts[0]) : parts.map(latin1).join('');
    return { s, n };
  }

  stringArray(addr: number): string[] {
    const out: string[] = [];
    if (addr === 0) return out;
    let total = 0;
    for (let p = addr; ; p += 8) {
      const ptr = this.readU64(p);
      if (ptr === 0) break;
      if (out.length >= MAX_ARG_STRINGS) throw new LinuxError(E.E2BIG);
      const { s, n } = this.cstr(ptr, MAX_ARG_STRLEN, E.E2BIG);
      total += n + 1 + 8;
      if (total > ARG_MAX_TOTAL) throw new LinuxError(E.E2BIG);
      out.push(s);
    }
    return out;
  }

  readU32(addr: number): number {
    const off = this.fast(addr, 4, false);
    if (off >= 0) return this.dv.getUint32(off, true);
    return new DataView(this.read(addr, 4).buffer).getUint32(0, true);
  }

  readI32(addr: number): number {
    return this.readU32(addr) | 0;
  }

  writeU32(addr: number, v: number): void {
    const off = this.fast(addr, 4, true);
    if (off >= 0) { this.dv.setUint32(off, v >>> 0, true); return; }
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.write(addr, b);
  }

  writeI32(addr: number, v: number): void {
    this.writeU32(addr, v | 0);
  }

  readU64(addr: number): number {
    const off = this.fast(addr, 8, false);
    if (off >= 0) return this.dv.getUint32(off, true) + this.dv.getUint32(off + 4, true) * TWO32;
    const dv = new DataView(this.read(addr, 8).buffer);
    return dv.getUint32(0, true) + dv.getUint32(4, true) * TWO32;
  }

  readBig(addr: number): bigint {
    const off = this.fast(addr, 8, false);
    if (off >= 0) return this.dv.getBigUint64(off, true);
    return new DataView(this.read(addr, 8).buffer).getBigUint64(0, true);
  }

  writeU64(addr: number, v: number | bigint): void {
    const big = typeof v === 'bigint' ? BigInt.asUintN(64, v) : BigInt.asUintN(64, BigInt(Math.trunc(v)));
    const off = this.fast(addr, 8, true);
    if (off >= 0) { this.dv.setBigUint64(off, big, true); return; }
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, big, true);
    this.write(addr, b);
  }

  iovecs(addr: number, count: number): IoVec[] {
    if (count < 0 || count > IOV_MAX) throw new LinuxError(E.EINVAL);
    if (count === 0) return [];
    const raw = this.read(addr, count * 16);
    const dv = new DataView(raw.buffer);
    const out: IoVec[] = [];
    let total = 0;
    for (let i = 0; i < count; i++) {
      const base = dv.getUint32(i * 16, true) + dv.getUint32(i * 16 + 4, true) * TWO32;
      const hi = dv.getUint32(i * 16 + 12, true);
      if (hi >= 0x80000000) throw new LinuxError(E.EINVAL); // negative as ssize_t
      const len = dv.getUint32(i * 16 + 8, true) + hi * TWO32;
      total += len;
      if (total >= SSIZE_LIMIT) throw new LinuxError(E.EINVAL);
      out.push({ base, len });
    }
    return out;
  }
}
