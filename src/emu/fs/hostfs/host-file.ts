// A regular host file open in the guest: a private host fd, positional I/O at our own file position.
import * as fs from 'node:fs';
import type { Dentry } from '../dentry.js';
import type { Mappable, OpenFile } from '../file.js';
import { O } from '../constants.js';
import type { Task } from '../../kernel/task.js';
import { SeekableFile } from '../seekable-file.js';
import type { Stat } from '../stat.js';
import { host, toStat } from './host-stat.js';
import { type HeldFile, anyShared, overlayRead, sharedPages, truncated, writeBack, writeThrough } from './shared-pages.js';

const C = fs.constants;

/** The host open(2) flags for a guest open of a regular file (never blocking the daemon). */
export function hostOpenFlags(flags: number): number {
  const acc = flags & O.ACCMODE;
  let hf = (acc === O.WRONLY ? C.O_WRONLY : acc === O.RDWR ? C.O_RDWR : C.O_RDONLY) | C.O_NONBLOCK;
  if (flags & O.TRUNC) hf |= C.O_TRUNC;
  if ((flags & O.SYNC) === O.SYNC) hf |= C.O_SYNC;
  else if (flags & O.DSYNC) hf |= C.O_DSYNC;
  return hf;
}

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
  // While any host file is mapped MAP_SHARED, reads and writes go through its shared pages (shared-pages.ts).
  protected readAt(buf: Uint8Array, pos: number): number { return this.cachedRead(buf, pos); }
  private readonly cachedRead = (buf: Uint8Array, pos: number): number => {
    const n = this.hostRead(buf, pos);
    if (anyShared()) overlayRead(this.pageKey(), buf, pos, n);
    return n;
  };
  protected writeAt(buf: Uint8Array, pos: number): number {
    const n = this.hostWrite(buf, pos);
    if (anyShared()) writeThrough(this.pageKey(), buf.subarray(0, n), pos);
    return n;
  }

  override truncate(size: number): void {
    host(() => fs.ftruncateSync(this.fd, size));
    if (anyShared()) truncated(this.pageKey(), size);
  }

  /** The host file's identity: its shared pages are found by it. */
  private pageKey(): string {
    const st = host(() => fs.fstatSync(this.fd, { bigint: true }));
    return `${st.dev}:${st.ino}`;
  }

  /** fallocate mode 0: make sure [off, off+len) is inside the file (extends, never shrinks). */
  override allocate(off: number, len: number): void {
    if (this.size() < off + len) this.truncate(off + len);
  }

  override sync(): void { host(() => fs.fsyncSync(this.fd)); }
  datasync(): void { host(() => fs.fdatasyncSync(this.fd)); }

  override mappable(): Mappable {
    let known: string | undefined;
    const key = (): string => (known ??= this.pageKey());
    // The cache holds this open file (as a VMA holds its file) until the last shared mapping goes;
    // write-back goes through writeAt, so a VolFs file's mtime moves as with write().
    const writable = (this.flags & 3) !== 0; // O_WRONLY cannot be mapped; O_RDWR
    const hold = (): HeldFile => {
      this.ref();
      const io = { size: () => this.size(), readAt: this.hostRead, writeAt: (b: Uint8Array, p: number) => this.writeAt(b, p) };
      return { io, writable, done: () => this.unref() };
    };
    const size = (): number => this.size();
    return {
      get size() { return size(); }, readAt: this.cachedRead, writeAt: this.hostWrite,
      shared: (minSize) => sharedPages(key(), minSize, writable, hold), sync: (pos, len) => writeBack(key(), pos, len),
    };
  }

  /** Opening /proc/self/fd/N of a file deleted meanwhile: the host's own fd link reaches the inode (Linux hosts). */
  override reopen(flags: number, _t: Task): OpenFile {
    const fd = host(() => fs.openSync(`/proc/self/fd/${this.fd}`, hostOpenFlags(flags)));
    return new HostFile(flags, this.dentry!, fd, this.present);
  }

  protected override release(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}
