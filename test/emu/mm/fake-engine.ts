// A pure-JS stand-in for the engine's memory surface: blocks as ArrayBuffers, a page permission map,
// residency = "page holds a non-zero byte". Enough to test the address space without the addon.
import type { MemoryEngine } from '../../../src/emu/mm/engine-memory.js';

const PAGE = 4096;

export class FakeEngine implements MemoryEngine {
  readonly blocks = new Map<number, { len: number; u8: Uint8Array }>();
  /** Protection changes in order: the last one covering a page wins. */
  readonly prot: Array<[number, number, number]> = [];
  readonly flushed: Array<[number, number]> = [];
  closed = false;

  private blockAt(addr: number): { start: number; u8: Uint8Array } {
    for (const [start, b] of this.blocks) if (addr >= start && addr < start + b.len) return { start, u8: b.u8 };
    throw new Error(`fake engine: 0x${addr.toString(16)} not mapped`);
  }

  mapMemory(addr: number, len: number): ArrayBuffer {
    for (const [s, b] of this.blocks) if (addr < s + b.len && s < addr + len) throw new Error('fake engine: overlap');
    if (addr % PAGE || len % PAGE) throw new Error('fake engine: unaligned');
    const buf = new ArrayBuffer(len);
    this.blocks.set(addr, { len, u8: new Uint8Array(buf) });
    return buf;
  }

  unmapMemory(addr: number, len: number): void {
    const b = this.blocks.get(addr);
    if (!b || b.len !== len) throw new Error('fake engine: unmap of a range that is not a block');
    this.blocks.delete(addr);
    this.prot.push([addr, addr + len, 0]);
  }

  protect(addr: number, len: number, prot: number): void {
    this.blockAt(addr); this.blockAt(addr + len - 1);
    this.prot.push([addr, addr + len, prot]);
    if (this.prot.length > 4096) this.prot.splice(0, 2048);
  }

  /** Shared memory cannot alias an ArrayBuffer here: the range is only recorded (real engine: test/emu/mm/shared.test.ts). */
  readonly sharedMaps: Array<[number, number, number]> = [];
  mapShared(addr: number, len: number, _shm: unknown, offset: number): void {
    this.blockAt(addr); this.blockAt(addr + len - 1);
    this.sharedMaps.push([addr, len, offset]);
  }

  discard(addr: number, len: number): void {
    const b = this.blockAt(addr);
    b.u8.fill(0, addr - b.start, addr - b.start + len);
  }

  residency(addr: number, len: number): Uint8Array {
    const b = this.blockAt(addr);
    const out = new Uint8Array(len / PAGE);
    for (let i = 0; i < out.length; i++) {
      const o = addr - b.start + i * PAGE;
      out[i] = b.u8.subarray(o, o + PAGE).some((x) => x !== 0) ? 1 : 0;
    }
    return out;
  }

  flushCode(addr: number, len: number): void { this.flushed.push([addr, len]); }

  load(addr: number, bytes: Uint8Array, prot: number): void {
    const len = Math.ceil(bytes.length / PAGE) * PAGE;
    const b = this.blockAt(addr);
    b.u8.fill(0, addr - b.start, addr - b.start + len);
    b.u8.set(bytes, addr - b.start);
    this.protect(addr, len, prot);
  }

  hasCode(): boolean { return false; }

  close(): void { this.closed = true; }

  protAt(addr: number): number {
    for (let i = this.prot.length - 1; i >= 0; i--) { const [s, e, p] = this.prot[i]; if (addr >= s && addr < e) return p; }
    return 0;
  }
}
