// A regular host file open in the guest: a private host fd, positional I/O at our own file position.
import * as fs from 'node:fs';
import type { Dentry } from '../dentry.js';
import type { Mappable } from '../file.js';
import { SeekableFile } from '../seekable-file.js';
import type { Stat } from '../stat.js';
import { host, toStat } from './host-stat.js';

/** lseek's SEEK_DATA/SEEK_HOLE see the file as one data extent (no sparse-file detection). */
export class HostFile extends SeekableFile {
  private fd: number;

  /** `present`: the metadata the guest sees of the host's (DrvFs synthesizes it; see HostFs.present). */
  constructor(flags: number, dentry: Dentry, fd: number, private readonly present: (st: Stat) => Stat = (st) => st) {
    super(flags, dentry);
    this.fd = fd;
  }

  stat(): Stat { return this.present(toStat(host(() => fs.fstatSync(this.fd, { bigint: true })))); }
  protected size(): number { return host(() => fs.fstatSync(this.fd)).size; }

  /** The host fd's bytes, without what a subclass adds to a read or write (mmap's view goes here too). */
  private readonly hostRead = (buf: Uint8Array, pos: number): number => host(() => fs.readSync(this.fd, buf, 0, buf.length, pos));
  private readonly hostWrite = (buf: Uint8Array, pos: number): number => host(() => fs.writeSync(this.fd, buf, 0, buf.length, pos));
  protected readAt(buf: Uint8Array, pos: number): number { return this.hostRead(buf, pos); }
  protected writeAt(buf: Uint8Array, pos: number): number { return this.hostWrite(buf, pos); }

  override truncate(size: number): void { host(() => fs.ftruncateSync(this.fd, size)); }

  /** fallocate mode 0: make sure [off, off+len) is inside the file (extends, never shrinks). */
  override allocate(off: number, len: number): void {
    if (this.size() < off + len) this.truncate(off + len);
  }

  override sync(): void { host(() => fs.fsyncSync(this.fd)); }
  datasync(): void { host(() => fs.fdatasyncSync(this.fd)); }

  override mappable(): Mappable {
    return { size: this.size(), readAt: this.hostRead, writeAt: this.hostWrite };
  }

  protected override release(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}
