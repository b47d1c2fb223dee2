// A tmpfs file's contents: 4 KiB pages allocated on first write, so holes cost nothing and read as zeros
// (mm/shmem.c). Every page is charged to the filesystem, which refuses past its size= limit (ENOSPC).
import { E, err } from '../../kernel/errno.js';
import { SharedSegment } from '../../mm/shared-memory.js';

export const PAGE = 4096;

/** The filesystem-wide page budget (size=) and inode budget (nr_inodes=). */
export class Budget {
  pages = 0;
  inodes = 0;
  constructor(public maxPages: number, public maxInodes: number) {}

  charge(n: number): void {
    if (this.pages + n > this.maxPages) throw err(E.ENOSPC);
    this.pages += n;
  }
  release(n: number): void { this.pages -= n; }
  chargeInode(): void {
    if (this.inodes >= this.maxInodes) throw err(E.ENOSPC);
    this.inodes++;
  }
  releaseInode(): void { this.inodes--; }
}

/**
 * A file's pages. Once the file is mapped MAP_SHARED they live in a shared segment (and stay there): each
 * page is a view of the segment, and a page absent from the map (a hole) reads the segment, which the
 * mappings may have written.
 */
export class PageStore {
  private readonly pages = new Map<number, Uint8Array>();
  private seg: SharedSegment | null = null;
  size = 0;

  constructor(private readonly budget: Budget) {}

  /** MAP_SHARED: the pages move into a shared segment of at least minSize bytes. */
  share(minSize: number): SharedSegment {
    if (!this.seg) {
      const seg = (this.seg = new SharedSegment(Math.max(minSize, this.size)));
      seg.attach(this);
      for (const [idx, page] of this.pages) {
        seg.u8.set(page, idx * PAGE);
        this.pages.set(idx, this.segPage(idx));
      }
    }
    this.seg.grow(minSize);
    return this.seg;
  }

  /** The segment's bytes of page idx (grown to hold it). */
  private segPage(idx: number): Uint8Array {
    this.seg!.grow((idx + 1) * PAGE);
    return this.seg!.u8.subarray(idx * PAGE, (idx + 1) * PAGE);
  }

  /** A page for idx: zeros, or the segment's bytes (what mappings stored there). */
  private newPage(idx: number): Uint8Array { return this.seg ? this.segPage(idx) : new Uint8Array(PAGE); }

  /** Shared: bytes of [from, to) the file no longer has read zero (mappings stored past the end included). */
  private zeroSeg(from: number, to: number): void {
    if (this.seg && from < to) this.seg.u8.fill(0, Math.min(from, this.seg.size), Math.min(to, this.seg.size));
  }

  get allocated(): number { return this.pages.size; }

  read(buf: Uint8Array, pos: number): number {
    const n = Math.max(0, Math.min(buf.length, this.size - pos));
    for (let done = 0; done < n;) {
      const at = pos + done, off = at % PAGE, len = Math.min(PAGE - off, n - done);
      const page = this.pages.get(Math.floor(at / PAGE));
      if (page) buf.set(page.subarray(off, off + len), done);
      else if (this.seg) buf.set(this.seg.u8.subarray(at, at + len), done);
      else buf.fill(0, done, done + len);
      done += len;
    }
    return n;
  }

  /** Write all of buf at pos (the pages it needs are charged first, so a refused write changes nothing). */
  write(buf: Uint8Array, pos: number): number {
    if (buf.length === 0) return 0;
    const first = Math.floor(pos / PAGE), last = Math.floor((pos + buf.length - 1) / PAGE);
    let missing = 0;
    for (let i = first; i <= last; i++) if (!this.pages.has(i)) missing++;
    this.budget.charge(missing);
    for (let done = 0; done < buf.length;) {
      const at = pos + done, off = at % PAGE, len = Math.min(PAGE - off, buf.length - done);
      const idx = Math.floor(at / PAGE);
      let page = this.pages.get(idx);
      if (!page) this.pages.set(idx, (page = this.newPage(idx)));
      page.set(buf.subarray(done, done + len), off);
      done += len;
    }
    this.size = Math.max(this.size, pos + buf.length);
    return buf.length;
  }

  /** ftruncate: pages past the end are freed, the tail of the last page zeroed. */
  truncate(size: number): void {
    if (size < this.size) {
      const keep = Math.ceil(size / PAGE);
      for (const idx of [...this.pages.keys()]) if (idx >= keep) { this.pages.delete(idx); this.budget.release(1); }
      const tail = this.pages.get(Math.floor(size / PAGE));
      if (tail && size % PAGE) tail.fill(0, size % PAGE);
    }
    this.zeroSeg(Math.min(size, this.size), this.seg ? this.seg.size : 0);
    this.size = size;
  }

  /** fallocate mode 0: pages for [off, off+len) exist afterwards and the size covers them. */
  allocate(off: number, len: number): void {
    const first = Math.floor(off / PAGE), last = Math.floor((off + len - 1) / PAGE);
    const missing: number[] = [];
    for (let i = first; i <= last; i++) if (!this.pages.has(i)) missing.push(i);
    this.budget.charge(missing.length);
    for (const i of missing) this.pages.set(i, this.newPage(i));
    this.size = Math.max(this.size, off + len);
  }

  /** FALLOC_FL_PUNCH_HOLE inside the file: whole pages freed, the partial ones at the edges zeroed. */
  punch(off: number, len: number): void {
    const end = Math.min(off + len, this.size);
    this.zeroSeg(off, end);
    for (let at = off; at < end;) {
      const idx = Math.floor(at / PAGE), from = at % PAGE, to = Math.min(PAGE, from + end - at);
      const page = this.pages.get(idx);
      if (page && from === 0 && to === PAGE) { this.pages.delete(idx); this.budget.release(1); } else page?.fill(0, from, to);
      at += to - from;
    }
  }

  /** SEEK_DATA / SEEK_HOLE: data is an allocated page, a hole is an absent one; the end is a hole. */
  seekData(pos: number, hole: boolean): number {
    if (pos >= this.size) throw err(E.ENXIO);
    for (let i = Math.floor(pos / PAGE); i * PAGE < this.size; i++) {
      if (this.pages.has(i) !== hole) return Math.max(pos, i * PAGE);
    }
    if (hole) return this.size;
    throw err(E.ENXIO);
  }

  free(): void {
    this.budget.release(this.pages.size);
    this.pages.clear();
    this.size = 0;
    this.seg?.detach(this); // mappings keep it
    this.seg = null;
  }
}
