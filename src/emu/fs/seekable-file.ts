// An open regular file (or a file read like one): read/write at the file position, O_APPEND writes at the
// end (pwrite too, as on Linux: see pwrite(2) BUGS), lseek, FIONREAD. Subclasses give the size and the
// positional I/O (fs/read_write.c's generic paths over a filesystem's read_iter/write_iter).
import { E, err } from '../kernel/errno.js';
import { FALLOC, O, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET } from './constants.js';
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

  /** The fallocate modes this filesystem has (ext4's set by default; shmem's is smaller). */
  protected readonly fallocModes: number = FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE | FALLOC.ZERO_RANGE | FALLOC.COLLAPSE_RANGE | FALLOC.INSERT_RANGE;

  /**
   * fallocate(2) modes over the positional I/O, as their contents read afterwards (blocks are not tracked:
   * a punched hole or a preallocation past the end is zeros or nothing, as reads see it). Collapse and insert
   * take whole blocks and a range inside the file, as ext4 (ext4_collapse_range, ext4_insert_range).
   */
  override fallocate(mode: number, off: number, len: number): void {
    if (mode & ~this.fallocModes) throw err(E.EOPNOTSUPP);
    const size = this.size();
    if (mode & (FALLOC.COLLAPSE_RANGE | FALLOC.INSERT_RANGE)) {
      if (off % BLOCK || len % BLOCK) throw err(E.EINVAL);
      if (mode & FALLOC.COLLAPSE_RANGE) {
        if (off + len >= size) throw err(E.EINVAL);
        this.move(off + len, off, size - off - len);
        this.truncate(size - len);
      } else {
        if (off >= size) throw err(E.EINVAL);
        this.move(off, off + len, size - off);
        this.zero(off, len);
      }
      return;
    }
    const end = Math.min(off + len, size);
    if (mode & (FALLOC.PUNCH_HOLE | FALLOC.ZERO_RANGE) && end > off) this.zero(off, end - off);
    if (!(mode & FALLOC.KEEP_SIZE) && off + len > size) this.truncate(off + len);
  }

  /** Zeros over [off, off+len) inside the file (a filesystem with holes frees the pages instead). */
  protected zero(off: number, len: number): void {
    const zeros = new Uint8Array(Math.min(len, CHUNK));
    for (let done = 0; done < len; done += zeros.length) this.writeAt(zeros.subarray(0, Math.min(zeros.length, len - done)), off + done);
  }

  /** Copy n bytes from `from` to `to`, overlapping ranges included (memmove: back to front when moving up). */
  private move(from: number, to: number, n: number): void {
    const buf = new Uint8Array(Math.min(n, CHUNK));
    for (let done = 0; done < n;) {
      const k = Math.min(buf.length, n - done);
      const at = to > from ? n - done - k : done;
      const got = this.readAt(buf.subarray(0, k), from + at);
      this.writeAt(buf.subarray(0, got), to + at);
      done += k;
    }
  }
}

const BLOCK = 4096;
const CHUNK = 1 << 20;
