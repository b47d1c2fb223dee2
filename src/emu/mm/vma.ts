// Virtual memory areas: the sorted, non-overlapping list of mappings of one address space (mm/mmap.c's
// maple tree, as a plain sorted array: lookups are binary searches, edits splice).
import { MMAP_MIN_ADDR, PAGE, TASK_SIZE, TASK_UNMAPPED_BASE } from './layout.js';
import type { SharedSegment } from './shared-memory.js';
import { samePolicy, type MemPolicy } from './mempolicy.js';

/** What a file-backed mapping reads from (an open file's mappable() view). */
export interface MappedFile {
  readonly size: number;
  readAt(buf: Uint8Array, pos: number): number;
  /** Guest path shown in /proc/pid/maps. */
  readonly path?: string;
  /** st_dev and st_ino of the file (/proc/pid/maps). */
  readonly dev?: number;
  readonly ino?: bigint;
  /** The file is /dev/zero: a mapping of it is anonymous memory (drivers/char/mem.c mmap_zero). */
  readonly zero?: boolean;
  /**
   * The memory object holding the file's pages for MAP_SHARED, at least `minSize` bytes (memfd, tmpfs,
   * host files). Absent: shared mappings of the file are private copies.
   */
  shared?(minSize: number): SharedSegment;
  /** Write the shared pages of [pos, pos+len) back to the file (host files; msync, munmap, exit). */
  sync?(pos: number, len: number): void;
}

/** 'sysv': a shmat attach, never merged with a neighbour (each VMA counts in shm_nattch, as in Linux). */
export type VmaKind = 'anon' | 'file' | 'heap' | 'stack' | 'sysv';

export interface Vma {
  start: number;
  end: number;
  /** PROT_* bits the guest asked for (READ|WRITE|EXEC). */
  prot: number;
  /** MAP_SHARED (else private). */
  shared: boolean;
  /** MAP_GROWSDOWN (the stack). */
  growsDown: boolean;
  /** VM_MAYWRITE: false for a shared mapping of a file not opened for writing (mprotect WRITE → EACCES). */
  mayWrite: boolean;
  kind: VmaKind;
  /** /proc/pid/maps name: a file path, [heap], [stack], or '' for anonymous memory. */
  name: string;
  file: MappedFile | null;
  /** File offset of `start` (file mappings), or offset in `seg` (shared memory). */
  offset: number;
  /** The shared memory object the pages are (MAP_SHARED), else null: the pages are this process's. */
  seg: SharedSegment | null;
  locked: boolean;
  /** mbind(2)'s policy for this range; absent: the default. */
  policy?: MemPolicy | null;
  /** madvise(2) flags: MADV_DONTFORK (VM_DONTCOPY), MADV_WIPEONFORK, MADV_DONTDUMP. */
  dontCopy?: boolean;
  wipeOnFork?: boolean;
  dontDump?: boolean;
}

/** Same attributes, and (for files) contiguous offsets: two adjacent VMAs may become one. */
function mergeable(a: Vma, b: Vma): boolean {
  return a.end === b.start && a.kind !== 'sysv' && a.prot === b.prot && a.shared === b.shared && a.growsDown === b.growsDown
    && a.mayWrite === b.mayWrite && a.kind === b.kind && a.name === b.name && a.file === b.file
    && a.locked === b.locked && a.seg === b.seg && samePolicy(a.policy, b.policy)
    && !a.dontCopy === !b.dontCopy && !a.wipeOnFork === !b.wipeOnFork && !a.dontDump === !b.dontDump
    && ((a.file === null && a.seg === null) || a.offset + (a.end - a.start) === b.offset);
}

export class VmaList {
  readonly list: Vma[] = [];

  /** Index of the first VMA with end > addr (list.length if none). */
  indexAfter(addr: number): number {
    let lo = 0, hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.list[mid].end <= addr) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  find(addr: number): Vma | undefined {
    const v = this.list[this.indexAfter(addr)];
    return v && v.start <= addr ? v : undefined;
  }

  /** VMAs intersecting [start, end). */
  overlapping(start: number, end: number): Vma[] {
    const out: Vma[] = [];
    for (let i = this.indexAfter(start); i < this.list.length && this.list[i].start < end; i++) out.push(this.list[i]);
    return out;
  }

  isFree(start: number, end: number): boolean {
    const v = this.list[this.indexAfter(start)];
    return !v || v.start >= end;
  }

  /** Every byte of [start, end) belongs to some VMA. */
  covers(start: number, end: number): boolean {
    let a = start;
    for (let i = this.indexAfter(start); i < this.list.length && a < end; i++) {
      const v = this.list[i];
      if (v.start > a) return false;
      a = v.end;
    }
    return a >= end;
  }

  /** Split VMAs so that start and end fall on VMA boundaries; returns the index range [i, j) inside. */
  carve(start: number, end: number): [number, number] {
    this.splitAt(start);
    this.splitAt(end);
    const i = this.indexAfter(start);
    let j = i;
    while (j < this.list.length && this.list[j].start < end) j++;
    return [i, j];
  }

  /**
   * Change the VMAs inside [start, end) (mprotect, mbind, madvise's flags): split at the ends, `edit` each,
   * then merge whatever became equal to its neighbour (vma_modify).
   */
  change(start: number, end: number, edit: (v: Vma) => void): void {
    const [i, j] = this.carve(start, end);
    for (let k = i; k < j; k++) edit(this.list[k]!);
    for (let k = j - 1; k >= i; k--) this.mergeAt(Math.min(k, this.list.length - 1));
  }

  private splitAt(addr: number): void {
    const i = this.indexAfter(addr);
    const v = this.list[i];
    if (!v || v.start >= addr) return;
    const right: Vma = { ...v, start: addr, offset: v.file || v.seg ? v.offset + (addr - v.start) : v.offset };
    v.end = addr;
    this.list.splice(i + 1, 0, right);
  }

  /** Remove [start, end) from the map; returns the removed pieces. */
  remove(start: number, end: number): Vma[] {
    const [i, j] = this.carve(start, end);
    return this.list.splice(i, j - i);
  }

  /** Insert a VMA over free space and merge it with compatible neighbours. */
  insert(v: Vma): void {
    const i = this.indexAfter(v.start);
    this.list.splice(i, 0, v);
    this.mergeAt(i);
  }

  /** Merge list[i] with its neighbours where possible (after an insert or a protection change). */
  mergeAt(i: number): void {
    if (i + 1 < this.list.length && mergeable(this.list[i], this.list[i + 1])) {
      this.list[i].end = this.list[i + 1].end;
      this.list.splice(i + 1, 1);
    }
    if (i > 0 && i < this.list.length && mergeable(this.list[i - 1], this.list[i])) {
      this.list[i - 1].end = this.list[i].end;
      this.list.splice(i, 1);
    }
  }

  /**
   * A free range of `len` bytes (aligned to `align`): the highest one below `top` (mm/mmap.c
   * unmapped_area_topdown), else the lowest from TASK_UNMAPPED_BASE up (the bottom-up fallback).
   * `floor`/`top` bound the search (MAP_32BIT narrows them). Returns -1 when nothing fits.
   */
  findFree(len: number, top: number, align = PAGE, floor = MMAP_MIN_ADDR): number {
    let i = this.indexAfter(top);
    let hi = i < this.list.length && this.list[i].start < top ? this.list[i].start : top;
    for (i--; ; i--) {
      const lo = i >= 0 ? Math.max(this.list[i].end, floor) : floor;
      const cand = Math.floor((hi - len) / align) * align;
      if (cand >= lo) return cand;
      if (i < 0) break;
      hi = this.list[i].start;
      if (hi <= floor) break;
    }
    if (top < TASK_UNMAPPED_BASE) return -1;
    return this.findFreeUp(len, TASK_UNMAPPED_BASE, TASK_SIZE, align);
  }

  /** The lowest free aligned range of `len` bytes in [from, limit), or -1. */
  findFreeUp(len: number, from: number, limit: number, align = PAGE): number {
    let a = Math.ceil(from / align) * align;
    for (let i = this.indexAfter(a); ; i++) {
      const v = this.list[i];
      const gapEnd = v ? Math.min(v.start, limit) : limit;
      if (a + len <= gapEnd) return a;
      if (!v || v.end >= limit) return -1;
      a = Math.ceil(Math.max(a, v.end) / align) * align;
    }
  }
}
