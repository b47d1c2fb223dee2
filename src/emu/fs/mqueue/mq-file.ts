// An open POSIX message queue (ipc/mqueue.c mqueue_file_operations): the descriptor mq_open returns and
// open(2) of /dev/mqueue/NAME gives. Reading shows the queue's status line; poll says whether a message
// waits (POLLIN) and whether one more fits (POLLOUT).
import type { MqQueue } from '../../kernel/ipc/mqueue.js';
import { current, type WaitQueue } from '../../kernel/wait-queue.js';
import type { KProcess } from '../../kernel/process.js';
import { E, err } from '../../kernel/errno.js';
import { O, SEEK_CUR, SEEK_END, SEEK_SET, S_IFREG } from '../constants.js';
import type { Dentry } from '../dentry.js';
import { OpenFile, POLL } from '../file.js';
import { type Stat, synthStat } from '../stat.js';

/** The i_size of every queue inode (FILENT_SIZE: the status line's room). */
const FILENT_SIZE = 80;

export class MqFile extends OpenFile {
  constructor(readonly mq: MqQueue, flags: number, private readonly dev: number, dentry: Dentry | null = null) {
    super(flags, dentry);
    mq.opens++;
  }

  /** O_ACCMODE 3 opens neither way (OPEN_FMODE), so such a descriptor can neither send nor receive. */
  get canReceive(): boolean { const a = this.flags & O.ACCMODE; return a === O.RDONLY || a === O.RDWR; }
  get canSend(): boolean { const a = this.flags & O.ACCMODE; return a === O.WRONLY || a === O.RDWR; }

  stat(): Stat { return mqStat(this.mq, this.dev); }

  override read(buf: Uint8Array): number {
    const text = Buffer.from(this.mq.status(), 'latin1');
    const part = text.subarray(Math.min(this.pos, text.length), this.pos + buf.length);
    buf.set(part);
    this.pos += part.length;
    return part.length;
  }

  /** default_llseek: SEEK_END counts from the inode's size (FILENT_SIZE). */
  override seek(off: number, whence: number): number {
    const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? this.pos : whence === SEEK_END ? FILENT_SIZE : NaN;
    if (!(base + off >= 0)) throw err(E.EINVAL);
    return (this.pos = base + off);
  }

  override pollMask(): number {
    const q = this.mq;
    return (q.msgs.length ? POLL.IN | POLL.RDNORM : 0) | (q.msgs.length < q.attr.maxmsg ? POLL.OUT | POLL.WRNORM : 0);
  }

  override get pollQueue(): WaitQueue { return this.mq.queue; }
  override anonName(): string { return `/${this.mq.name}`; }
  /** mqueue_flush_file: the owner's close drops its notification (here at the description's last close). */
  protected override release(): void {
    const t = current();
    if (t) this.mq.setNotify(t.process as KProcess, null);
    this.mq.closed();
  }
}

export const mqStat = (q: MqQueue, dev: number): Stat =>
  synthStat(dev, q.ino, S_IFREG | q.mode, { uid: q.uid, gid: q.gid, size: FILENT_SIZE, mtimeNs: BigInt(q.ctimeMs) * 1000000n });
