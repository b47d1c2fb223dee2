// An open tmpfs regular file: reads and writes on the inode's pages at the file position (O_APPEND at the
// end), lseek with SEEK_DATA/SEEK_HOLE over the holes, ftruncate, fallocate, and mmap's view.
import { E, err } from '../../kernel/errno.js';
import { O, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET } from '../constants.js';
import type { Dentry } from '../dentry.js';
import { OpenFile, type Mappable } from '../file.js';
import { type Stat, nowNs } from '../stat.js';
import type { TmpNode } from './tmp-node.js';

export class TmpFile extends OpenFile {
  constructor(flags: number, dentry: Dentry, private readonly node: TmpNode) {
    super(flags, dentry);
    node.opens++;
  }

  private get pages() { return this.node.pages!; }
  stat(): Stat { return this.node.stat(); }

  override read(buf: Uint8Array): number { const n = this.pread(buf, this.pos); this.pos += n; return n; }

  override write(buf: Uint8Array): number {
    if (this.flags & O.APPEND) this.pos = this.pages.size;
    const n = this.pwrite(buf, this.pos);
    this.pos += n;
    return n;
  }

  override pread(buf: Uint8Array, pos: number): number {
    if (pos < 0) throw err(E.EINVAL);
    const n = this.pages.read(buf, pos);
    // relatime: atime moves when it is older than the last change
    if (this.node.atimeNs <= this.node.mtimeNs) this.node.atimeNs = nowNs();
    return n;
  }

  override pwrite(buf: Uint8Array, pos: number): number {
    if (pos < 0) throw err(E.EINVAL);
    if (pos + buf.length > this.node.fs.maxFileSize) throw err(E.EFBIG);
    const n = this.pages.write(buf, pos);
    if (n) this.node.mtimeNs = this.node.ctimeNs = nowNs();
    return n;
  }

  override seek(off: number, whence: number): number {
    const size = this.pages.size;
    let pos: number;
    switch (whence) {
      case SEEK_SET: pos = off; break;
      case SEEK_CUR: pos = this.pos + off; break;
      case SEEK_END: pos = size + off; break;
      case SEEK_DATA: case SEEK_HOLE:
        if (off < 0) throw err(E.ENXIO);
        pos = this.pages.seekData(off, whence === SEEK_HOLE); break;
      default: throw err(E.EINVAL);
    }
    if (!(pos >= 0)) throw err(E.EINVAL);
    return (this.pos = pos);
  }

  override truncate(size: number): void { this.node.setattr({ size }); }

  override allocate(off: number, len: number): void {
    if (off + len > this.node.fs.maxFileSize) throw err(E.EFBIG);
    this.pages.allocate(off, len);
    this.node.ctimeNs = nowNs();
  }

  override available(): number { return Math.max(0, this.pages.size - this.pos); }

  override mappable(): Mappable {
    return { size: this.pages.size, readAt: (b, p) => this.pages.read(b, p), writeAt: (b, p) => this.pwrite(b, p) };
  }

  override reopen(flags: number): OpenFile { return new TmpFile(flags, this.dentry!, this.node); }

  protected override release(): void {
    if (--this.node.opens === 0 && this.node.nlink === 0) this.node.free();
  }
}
