// An open VolFs regular file: a host file open on the inode's blob (HostFile's positional I/O), plus what
// VolFs keeps itself. Data goes to the blob at once (it survives the death of the process); the times a
// write changes are kept in memory and written to the store at close and fsync, so a write costs no
// database transaction.
import { O } from '../constants.js';
import type { Task } from '../../kernel/task.js';
import type { Dentry } from '../dentry.js';
import type { OpenFile } from '../file.js';
import { HostFile } from '../hostfs/host-file.js';
import { type Stat, nowNs } from '../stat.js';
import * as fs from 'node:fs';
import type { VolNode } from './vol-node.js';

const C = fs.constants;
const DAY_NS = 86_400_000_000_000n;

export class VolFile extends HostFile {
  private atimeDone: boolean;
  private closed = false;

  constructor(flags: number, dentry: Dentry, private readonly node: VolNode) {
    const acc = flags & O.ACCMODE;
    super(flags, dentry, node.fs.blobs.open(node.ino, acc === O.WRONLY ? C.O_WRONLY : acc === O.RDWR ? C.O_RDWR : C.O_RDONLY));
    node.fs.opened(node.ino);
    this.atimeDone = (flags & O.NOATIME) !== 0;
    if ((flags & O.TRUNC) && acc !== O.RDONLY) this.truncate(0);
  }

  private get ino(): bigint { return this.node.ino; }
  override stat(): Stat { return this.node.stat(); }
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

  protected override readAt(buf: Uint8Array, pos: number): number {
    if (!this.atimeDone) this.accessed();
    return super.readAt(buf, pos);
  }

  protected override writeAt(buf: Uint8Array, pos: number): number {
    const n = super.writeAt(buf, pos);
    this.modified();
    return n;
  }

  override truncate(size: number): void {
    super.truncate(size);
    this.modified();
  }

  /** fsync(2): the blob's data, then the inode's pending times, made durable. */
  override sync(): void {
    super.sync();
    this.node.fs.flushTimes(this.ino);
    this.node.fs.store.sync();
  }

  override reopen(flags: number, t: Task): OpenFile { return this.node.open(this.dentry!, flags, t); }

  protected override release(): void {
    super.release();
    if (this.closed) return;
    this.closed = true;
    this.node.fs.closed(this.ino);
  }
}
