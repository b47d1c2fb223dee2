// A regular host file open in the guest: a private host fd, positional I/O at our own file position.
import * as fs from 'node:fs';
import { E, err } from '../../kernel/errno.js';
import { O, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET } from '../constants.js';
import type { Dentry } from '../dentry.js';
import { OpenFile, type Mappable } from '../file.js';
import type { Stat } from '../stat.js';
import { host, toStat } from './host-stat.js';

export class HostFile extends OpenFile {
  private fd: number;

  constructor(flags: number, dentry: Dentry, fd: number) {
    super(flags, dentry);
    this.fd = fd;
  }

  stat(): Stat { return toStat(host(() => fs.fstatSync(this.fd, { bigint: true }))); }
  private size(): number { return host(() => fs.fstatSync(this.fd)).size; }
  private get appending(): boolean { return (this.flags & O.APPEND) !== 0; }

  override read(buf: Uint8Array): number {
    const n = this.pread(buf, this.pos);
    this.pos += n;
    return n;
  }

  override write(buf: Uint8Array): number {
    if (this.appending) this.pos = this.size();
    const n = this.pwrite(buf, this.pos);
    this.pos += n;
    return n;
  }

  override pread(buf: Uint8Array, pos: number): number {
    return host(() => fs.readSync(this.fd, buf, 0, buf.length, pos));
  }

  /** pwrite(2) on an O_APPEND file appends, as on Linux. */
  override pwrite(buf: Uint8Array, pos: number): number {
    const at = this.appending ? this.size() : pos;
    return host(() => fs.writeSync(this.fd, buf, 0, buf.length, at));
  }

  /** lseek(2); SEEK_DATA/SEEK_HOLE see the file as one data extent (no sparse-file detection). */
  override seek(off: number, whence: number): number {
    let pos: number;
    switch (whence) {
      case SEEK_SET: pos = off; break;
      case SEEK_CUR: pos = this.pos + off; break;
      case SEEK_END: pos = this.size() + off; break;
      case SEEK_DATA: case SEEK_HOLE: {
        const size = this.size();
        if (off < 0) throw err(E.EINVAL);
        if (off >= size) throw err(E.ENXIO);
        pos = whence === SEEK_DATA ? off : size;
        break;
      }
      default: throw err(E.EINVAL);
    }
    if (pos < 0) throw err(E.EINVAL);
    return (this.pos = pos);
  }

  override truncate(size: number): void { host(() => fs.ftruncateSync(this.fd, size)); }

  /** fallocate mode 0: make sure [off, off+len) is inside the file (extends, never shrinks). */
  override allocate(off: number, len: number): void {
    if (this.size() < off + len) this.truncate(off + len);
  }

  override available(): number { return Math.max(0, this.size() - this.pos); }
  override sync(): void { host(() => fs.fsyncSync(this.fd)); }
  datasync(): void { host(() => fs.fdatasyncSync(this.fd)); }

  override mappable(): Mappable {
    return {
      size: this.size(),
      readAt: (buf, pos) => host(() => fs.readSync(this.fd, buf, 0, buf.length, pos)),
      writeAt: (buf, pos) => host(() => fs.writeSync(this.fd, buf, 0, buf.length, pos)),
    };
  }

  protected override release(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}
