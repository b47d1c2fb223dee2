// An open tmpfs regular file: reads and writes on the inode's pages at the file position (O_APPEND at the
// end), lseek with SEEK_DATA/SEEK_HOLE over the holes, ftruncate, fallocate, and mmap's view.
import { E, err } from '../../kernel/errno.js';
import type { Dentry } from '../dentry.js';
import type { Mappable, OpenFile } from '../file.js';
import { SeekableFile } from '../seekable-file.js';
import { FALLOC } from '../constants.js';
import { type Stat, nowNs } from '../stat.js';
import type { TmpNode } from './tmp-node.js';

export class TmpFile extends SeekableFile {
  constructor(flags: number, dentry: Dentry, private readonly node: TmpNode) {
    super(flags, dentry);
    node.opens++;
  }

  private get pages() { return this.node.pages!; }
  stat(): Stat { return this.node.stat(); }

  protected size(): number { return this.pages.size; }

  protected readAt(buf: Uint8Array, pos: number): number {
    const n = this.pages.read(buf, pos);
    // relatime: atime moves when it is older than the last change
    if (this.node.atimeNs <= this.node.mtimeNs) this.node.atimeNs = nowNs();
    return n;
  }

  protected writeAt(buf: Uint8Array, pos: number): number {
    if (pos + buf.length > this.node.fs.maxFileSize) throw err(E.EFBIG);
    const n = this.pages.write(buf, pos);
    if (n) this.node.mtimeNs = this.node.ctimeNs = nowNs();
    return n;
  }

  protected override seekData(off: number, hole: boolean): number { return this.pages.seekData(off, hole); }

  override truncate(size: number): void { this.node.setattr({ size }); }

  override allocate(off: number, len: number): void {
    if (off + len > this.node.fs.maxFileSize) throw err(E.EFBIG);
    this.pages.allocate(off, len);
    this.node.ctimeNs = nowNs();
  }

  // shmem_fallocate: preallocation and hole punching only
  protected override readonly fallocModes: number = FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE;
  protected override zero(off: number, len: number): void {
    this.pages.punch(off, len);
    this.node.mtimeNs = this.node.ctimeNs = nowNs();
  }

  override mappable(): Mappable {
    const pages = this.pages;
    return {
      get size() { return pages.size; }, readAt: (b, p) => this.pages.read(b, p), writeAt: (b, p) => this.writeAt(b, p),
      shared: (minSize) => this.pages.share(minSize),
    };
  }

  override reopen(flags: number): OpenFile { return new TmpFile(flags, this.dentry!, this.node); }

  protected override release(): void {
    if (--this.node.opens === 0 && this.node.nlink === 0) this.node.free();
  }
}
