// An open regular file (or a file read like one): read/write at the file position, O_APPEND writes at the
// end (pwrite too, as on Linux: see pwrite(2) BUGS), lseek, FIONREAD. Subclasses give the size and the
// positional I/O (fs/read_write.c's generic paths over a filesystem's read_iter/write_iter).
import { E, err } from '../kernel/errno.js';
import { O, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET } from './constants.js';
import { OpenFile } from './file.js';

export abstract class SeekableFile extends OpenFile {
  /** The file's size now. */
  protected abstract size(): number;
  /** Read at pos: the bytes read (0 at or past the end). */
  protected abstract readAt(buf: Uint8Array, pos: number): number;
  /** Write at pos: the bytes written. */
  protected abstract writeAt(buf: Uint8Array, pos: number): number;

  override read(buf: Uint8Array): number {
    const n = this.readAt(buf, this.pos);
    this.pos += n;
    return n;
  }

  override write(buf: Uint8Array): number {
    if (this.flags & O.APPEND) this.pos = this.size();
    const n = this.writeAt(buf, this.pos);
    this.pos += n;
    return n;
  }

  override pread(buf: Uint8Array, pos: number): number { return this.readAt(buf, pos); }
  override pwrite(buf: Uint8Array, pos: number): number { return this.writeAt(buf, this.flags & O.APPEND ? this.size() : pos); }

  override seek(off: number, whence: number): number {
    let pos: number;
    switch (whence) {
      case SEEK_SET: pos = off; break;
      case SEEK_CUR: pos = this.pos + off; break;
      case SEEK_END: pos = this.size() + off; break;
      case SEEK_DATA: case SEEK_HOLE:
        if (off < 0 || off >= this.size()) throw err(E.ENXIO); // generic_file_llseek_size: as unsigned, past EOF
        pos = this.seekData(off, whence === SEEK_HOLE);
        break;
      default: throw err(E.EINVAL);
    }
    if (!(pos >= 0)) throw err(E.EINVAL);
    return (this.pos = pos);
  }

  /** SEEK_DATA/SEEK_HOLE from off (inside the file): by default the file is one data extent. */
  protected seekData(off: number, hole: boolean): number { return hole ? this.size() : off; }

  override available(): number { return Math.max(0, this.size() - this.pos); }
}
