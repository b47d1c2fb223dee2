// An open VolFs regular file: a private host fd on the inode's blob, positional I/O at our own position.
// Data goes to the blob at once (it survives the death of the process); the times a write changes are kept
// in memory and written to the store at close and fsync, so a write costs no database transaction.
import * as fs from 'node:fs';
import { E, err } from '../../kernel/errno.js';
import type { Credentials } from '../../kernel/task.js';
import type { Task } from '../../kernel/task.js';
import { O, S_ISGID, S_ISUID, SEEK_CUR, SEEK_DATA, SEEK_END, SEEK_HOLE, SEEK_SET } from '../constants.js';
import type { Dentry } from '../dentry.js';
import { OpenFile, type Mappable } from '../file.js';
import { host } from '../hostfs/host-stat.js';
import { type Stat, nowNs } from '../stat.js';
import type { VolNode } from './vol-node.js';

const C = fs.constants;
const DAY_NS = 86_400_000_000_000n;

export class VolFile extends OpenFile {
  private fd: number;
  private atimeDone: boolean;

  constructor(flags: number, dentry: Dentry, private readonly node: VolNode) {
    super(flags, dentry);
    const acc = flags & O.ACCMODE;
    this.fd = node.fs.blobs.open(node.ino, acc === O.WRONLY ? C.O_WRONLY : acc === O.RDWR ? C.O_RDWR : C.O_RDONLY);
    node.fs.opened(node.ino);
    this.atimeDone = (flags & O.NOATIME) !== 0;
    if ((flags & O.TRUNC) && acc !== O.RDONLY) this.truncate(0);
  }

  private get ino(): bigint { return this.node.ino; }
  stat(): Stat { return this.node.stat(); }
  private size(): number { return host(() => fs.fstatSync(this.fd)).size; }
  private get appending(): boolean { return (this.flags & O.APPEND) !== 0; }
  private modified(): void { const now = nowNs(); this.node.fs.touch(this.ino, { mtime: now, ctime: now }); }

  /** relatime (the default mount option): atime moves when it is older than mtime/ctime or a day old. */
  private accessed(): void {
    this.atimeDone = true;
    const st = this.node.stat();
    const now = nowNs();
    if (st.atimeNs <= st.mtimeNs || st.atimeNs <= st.ctimeNs || now - st.atimeNs >= DAY_NS) {
      this.node.fs.touch(this.ino, { atime: now });
    }
  }

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
    if (!this.atimeDone) this.accessed();
    return host(() => fs.readSync(this.fd, buf, 0, buf.length, pos));
  }

  /** pwrite(2) on an O_APPEND file appends, as on Linux. */
  override pwrite(buf: Uint8Array, pos: number): number {
    const at = this.appending ? this.size() : pos;
    const n = host(() => fs.writeSync(this.fd, buf, 0, buf.length, at));
    this.modified();
    return n;
  }

  /** lseek(2); SEEK_DATA/SEEK_HOLE see the file as one data extent. */
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

  override truncate(size: number): void {
    host(() => fs.ftruncateSync(this.fd, size));
    this.modified();
  }

  override allocate(off: number, len: number): void {
    if (this.size() < off + len) this.truncate(off + len);
  }

  /**
   * file_remove_privs (fs/inode.c): a write by a caller without CAP_FSETID clears setuid, and setgid when
   * the group may execute (setgid without group execute marks mandatory locking and stays).
   */
  override killPrivs(c: Credentials): void {
    if (c.fsuid === 0) return;
    const mode = this.node.fs.row(this.ino).mode;
    let kill = mode & S_ISUID;
    if ((mode & S_ISGID) && (mode & 0o010)) kill |= S_ISGID;
    if (kill) this.node.fs.store.update(this.ino, { mode: mode & ~kill, ctime: nowNs() });
  }

  override available(): number { return Math.max(0, this.size() - this.pos); }

  /** fsync(2): the blob's data, then the inode's pending times, made durable. */
  override sync(): void {
    host(() => fs.fsyncSync(this.fd));
    this.node.fs.flushTimes(this.ino);
    this.node.fs.store.sync();
  }

  override mappable(): Mappable {
    return {
      size: this.size(),
      readAt: (buf, pos) => host(() => fs.readSync(this.fd, buf, 0, buf.length, pos)),
      writeAt: (buf, pos) => this.pwrite(buf, pos),
    };
  }

  override reopen(flags: number, t: Task): OpenFile { return this.node.open(this.dentry!, flags, t); }

  protected override release(): void {
    if (this.fd < 0) return;
    fs.closeSync(this.fd);
    this.fd = -1;
    this.node.fs.closed(this.ino);
  }
}
