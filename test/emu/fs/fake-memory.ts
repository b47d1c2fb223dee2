// A Uint8Array-backed GuestMemory for calling syscall handlers without a CPU: one flat region at BASE.
import { E, err } from '../../../src/emu/kernel/errno.js';
import type { GuestMemory, IoVec } from '../../../src/emu/mm/guest-memory.js';

export const BASE = 0x10000;

export class FakeMemory implements GuestMemory {
  readonly bytes: Uint8Array;
  private dv: DataView;
  private top = BASE;

  constructor(size = 1 << 20) {
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }

  private off(addr: number, len: number): number {
    const o = addr - BASE;
    if (addr === 0 || o < 0 || o + len > this.bytes.length) throw err(E.EFAULT);
    return o;
  }

  /** Bump-allocate `len` zeroed bytes (8-aligned); returns the guest address. */
  alloc(len: number): number {
    const a = this.top;
    this.top += (len + 7) & ~7;
    this.off(a, len);
    return a;
  }

  /** The allocation mark, for a long-running caller to rewind to once what it allocated since is dead. */
  mark(): number { return this.top; }
  rewind(mark: number): void { this.top = mark; }

  /** A NUL-terminated byte string placed in memory. */
  str(s: string): number {
    const a = this.alloc(s.length + 1);
    this.bytes.set(Buffer.from(`${s}\0`, 'latin1'), a - BASE);
    return a;
  }

  slices(addr: number, len: number): Uint8Array[] { const o = this.off(addr, len); return [this.bytes.subarray(o, o + len)]; }
  read(addr: number, len: number): Uint8Array { const o = this.off(addr, len); return this.bytes.slice(o, o + len); }
  write(addr: number, data: Uint8Array): void { this.bytes.set(data, this.off(addr, data.length)); }

  cstring(addr: number, max = 4096): string {
    const o = this.off(addr, 1);
    const end = this.bytes.indexOf(0, o);
    if (end < 0) throw err(E.EFAULT);
    if (end - o >= max) throw err(E.ENAMETOOLONG);
    return Buffer.from(this.bytes.subarray(o, end)).toString('latin1');
  }

  stringArray(addr: number): string[] {
    const out: string[] = [];
    for (let p = addr; ; p += 8) {
      const s = this.readU64(p);
      if (s === 0) return out;
      out.push(this.cstring(s));
    }
  }

  readU32(a: number): number { return this.dv.getUint32(this.off(a, 4), true); }
  writeU32(a: number, v: number): void { this.dv.setUint32(this.off(a, 4), v, true); }
  readI32(a: number): number { return this.dv.getInt32(this.off(a, 4), true); }
  writeI32(a: number, v: number): void { this.dv.setInt32(this.off(a, 4), v, true); }
  readU64(a: number): number { return Number(this.dv.getBigUint64(this.off(a, 8), true)); }
  writeU64(a: number, v: number | bigint): void { this.dv.setBigUint64(this.off(a, 8), BigInt.asUintN(64, BigInt(v)), true); }
  readBig(a: number): bigint { return this.dv.getBigUint64(this.off(a, 8), true); }

  iovecs(addr: number, count: number): IoVec[] {
    if (count > 1024) throw err(E.EINVAL);
    return Array.from({ length: count }, (_, i) => ({ base: this.readU64(addr + i * 16), len: this.readU64(addr + i * 16 + 8) }));
  }

  /** Bytes at addr as a latin1 string. */
  text(addr: number, len: number): string { return Buffer.from(this.read(addr, len)).toString('latin1'); }
}
