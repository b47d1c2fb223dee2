// Host memory behind guest addresses: engine blocks (one mapMemory each), sorted and non-overlapping.
// Invariant kept by AddressSpace: a backed page outside every VMA has no access in the engine and is zero,
// unless it may hold translated code (engine.hasCode: the bytes of an earlier process on a reused engine,
// kept in case the same code is mapped there again), so a block may outlive the VMAs it was made for and be
// reused by a later mapping of the same addresses.
import { LinuxError, E } from '../kernel/errno.js';
import type { MemoryEngine } from './engine-memory.js';
import { MMAP_MIN_ADDR, TASK_SIZE } from './layout.js';

/** Largest single engine block: a Uint8Array view over an ArrayBuffer is limited to 4 GiB on Node 20. */
export const MAX_BLOCK = 1024 * 1024 * 1024;
/**
 * Most engine blocks one address space holds. Unicorn aborts the whole process once its physical memory map
 * has 4096 sections (phys_section_add), and blocks are never unmapped while a process lives, so past this a
 * mapping fails with ENOMEM instead. ensureWithRoom keeps mapping page by page far below it.
 */
export const MAX_BLOCKS = 2048;
/** The most room a new block backs beside its mapping (fork copies whole blocks page by page). */
const MAX_SLACK = 256 * 1024 * 1024;

export interface Block {
  readonly start: number;
  readonly end: number;
  readonly u8: Uint8Array;
}

export class Backing {
  readonly blocks: Block[];
  private last: Block | null = null;
  /** The room beside its mapping the last block made by ensureWithRoom had (doubled each time). */
  private slack = 0;

  /** `blocks`: those the engine already maps (a reused engine), sorted. */
  constructor(private readonly engine: MemoryEngine, blocks: Block[] = []) {
    this.blocks = blocks;
  }

  /** Index of the first block with end > addr. */
  private indexAfter(addr: number): number {
    let lo = 0, hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.blocks[mid].end <= addr) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  find(addr: number): Block | null {
    const l = this.last;
    if (l && addr >= l.start && addr < l.end) return l;
    const b = this.blocks[this.indexAfter(addr)];
    if (b && b.start <= addr) return (this.last = b);
    return null;
  }

  /**
   * Map engine blocks for every unbacked part of [start, end). `slackEnd` (> end) lets the last new block
   * extend further (up to the next block), so that a growing heap does not make one block per brk call.
   */
  ensure(start: number, end: number, slackEnd = end): void {
    let a = start;
    let i = this.indexAfter(a);
    while (a < end) {
      const b = this.blocks[i];
      if (b && b.start <= a) { a = b.end; i++; continue; }
      const limit = b ? b.start : Infinity;
      const want = Math.min(limit, Math.max(end, slackEnd));
      const len = Math.min(want - a, MAX_BLOCK);
      if (this.blocks.length >= MAX_BLOCKS) throw new LinuxError(E.ENOMEM, `${MAX_BLOCKS} engine memory blocks in one address space`);
      let buf: ArrayBuffer;
      try {
        buf = this.engine.mapMemory(a, len);
      } catch (e) {
        throw new LinuxError(E.ENOMEM, `engine mapMemory 0x${a.toString(16)}+0x${len.toString(16)}: ${(e as Error).message}`);
      }
      this.blocks.splice(i, 0, { start: a, end: a + len, u8: new Uint8Array(buf) });
      a += len;
      i++;
    }
  }

  /**
   * ensure() for a new mapping or a growth of one, backing free room next to it as well: `down` for a mapping
   * placed top-down (the next ones go below it), else above (a mapping growing in place). Blocks stay while
   * the process lives, so a program that maps or grows page by page (realloc moving or growing a buffer
   * again and again) would otherwise make a block each time; the room is twice the last (up to MAX_SLACK),
   * so later mappings land in backing that exists: O(log n) blocks. Room is zero pages with no access and
   * no VMA, as any block outside its mappings, and costs no host memory (NORESERVE) until mapped and touched.
   */
  ensureWithRoom(start: number, end: number, down: boolean): void {
    const i = this.indexAfter(start);
    const b = this.blocks[i];
    if (b && b.start <= start && b.end >= end) return; // backed already
    this.slack = Math.min(MAX_SLACK, Math.max(end - start, 2 * this.slack));
    if (down && !(b && b.start <= start)) {
      const below = this.blocks[i - 1];
      this.ensure(Math.min(start, Math.max(below ? below.end : 0, MMAP_MIN_ADDR, start - this.slack)), end);
    } else {
      this.ensure(start, end, Math.min(TASK_SIZE, end + this.slack));
    }
  }

  /** Call fn for each backed piece of [start, end). */
  each(start: number, end: number, fn: (s: number, e: number, b: Block) => void): void {
    for (let i = this.indexAfter(start); i < this.blocks.length; i++) {
      const b = this.blocks[i];
      if (b.start >= end) break;
      fn(Math.max(b.start, start), Math.min(b.end, end), b);
    }
  }

  protect(start: number, end: number, prot: number): void {
    this.each(start, end, (s, e) => this.engine.protect(s, e - s, prot));
  }

  discard(start: number, end: number): void {
    this.each(start, end, (s, e) => this.engine.discard(s, e - s));
  }

  /** Drop translated code of the pages holding [start, end). */
  flushCode(start: number, end: number): void {
    this.each(start - (start % 4096), Math.ceil(end / 4096) * 4096, (s, e) => this.engine.flushCode(s, e - s));
  }

  /** One byte per page of [start, end): 1 if resident in host memory (unbacked pages are 0). */
  residency(start: number, end: number): Uint8Array {
    const out = new Uint8Array((end - start) / 4096);
    this.each(start, end, (s, e) => out.set(this.engine.residency(s, e - s).subarray(0, (e - s) / 4096), (s - start) / 4096));
    return out;
  }

  /** Copy bytes in, ignoring guest protections (loader, kernel-internal). The range must be backed. */
  poke(addr: number, data: Uint8Array): void {
    this.flushCode(addr, addr + data.length);
    let done = 0;
    this.each(addr, addr + data.length, (s, e, b) => {
      b.u8.set(data.subarray(s - addr, e - addr), s - b.start);
      done += e - s;
    });
    if (done !== data.length) throw new LinuxError(E.EFAULT, `poke into unbacked memory at 0x${addr.toString(16)}`);
  }

  /** Zero [start, end) by writing (keeps pages resident; use discard to free them). */
  zero(start: number, end: number): void {
    this.flushCode(start, end);
    this.each(start, end, (s, e, b) => b.u8.fill(0, s - b.start, e - b.start));
  }

  /** Views over [start, end) split at block boundaries (the range must be backed). */
  views(start: number, end: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    this.each(start, end, (s, e, b) => out.push(b.u8.subarray(s - b.start, e - b.start)));
    return out;
  }

  /** Unmap everything from the engine. */
  close(): void {
    for (const b of this.blocks) this.engine.unmapMemory(b.start, b.end - b.start);
    this.blocks.length = 0;
    this.last = null;
  }
}
