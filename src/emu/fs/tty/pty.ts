// The open files of a pseudo-terminal pair (drivers/tty/pty.c): the master (/dev/ptmx) and the slave
// (/dev/pts/N, /dev/tty). Closing the master hangs the slave up; closing every slave gives the master EIO.
import type { Task } from '../../kernel/task.js';
import { current, type WaitQueue } from '../../kernel/wait-queue.js';
import type { Dentry } from '../dentry.js';
import { OpenFile, POLL, type IoResult } from '../file.js';
import type { Stat } from '../stat.js';
import { adopt } from './jobctrl.js';
import { ttysOf } from './registry.js';
import { masterRead, masterWrite, slaveRead, slaveWrite } from './tty-io.js';
import { ttyIoctl } from './tty-ioctl.js';
import type { Tty } from './tty.js';

/** Anything that is a terminal file (isatty, /dev/tty and the session terminal look for it). */
export abstract class TtyFile extends OpenFile {
  abstract readonly tty: Tty;
  abstract readonly master: boolean;
  override get stream(): boolean { return true; }
  override get pollQueue(): WaitQueue { return this.tty.queue; }
}

export class PtySlave extends TtyFile {
  readonly master = false;
  private closed = false;

  constructor(flags: number, dentry: Dentry, readonly tty: Tty) {
    super(flags, dentry);
    tty.slaveOpens++;
    tty.slaveEverOpened = true;
    tty.changed();
  }

  stat(): Stat { return this.dentry!.node.stat(); }
  private touch(): void { const t = current(); if (t) adopt(this.tty, t); }

  override read(buf: Uint8Array): IoResult { this.touch(); return slaveRead(this.tty, buf, this.nonblocking); }
  override write(buf: Uint8Array): IoResult { this.touch(); return slaveWrite(this.tty, buf, this.nonblocking); }
  override ioctl(t: Task, req: number, arg: number): IoResult {
    adopt(this.tty, t);
    return ttyIoctl({ tty: this.tty, master: false, readable: this.readable }, t, req, arg);
  }
  override available(): number { return this.tty.ldisc.available; }

  /** n_tty_poll (hung_up_tty_poll once the master is gone). */
  override pollMask(): number {
    const tty = this.tty;
    if (tty.hungUp) return POLL.IN | POLL.OUT | POLL.ERR | POLL.HUP | POLL.RDNORM | POLL.WRNORM;
    return (tty.ldisc.lineReady ? POLL.IN | POLL.RDNORM : 0)
      | (tty.outputRoom > 0 && !tty.stopped ? POLL.OUT | POLL.WRNORM : 0);
  }

  override reopen(flags: number): OpenFile { return new PtySlave(flags, this.dentry!, this.tty); }

  protected override release(): void {
    if (this.closed) return;
    this.closed = true;
    this.tty.slaveOpens--;
    this.tty.changed();
  }
}

export class PtyMaster extends TtyFile {
  readonly master = true;

  constructor(flags: number, dentry: Dentry, readonly tty: Tty, private readonly openSlave: (t: Task, flags: number) => OpenFile) {
    super(flags, dentry);
  }

  stat(): Stat { return this.dentry!.node.stat(); }
  override read(buf: Uint8Array): IoResult { return masterRead(this.tty, buf, this.nonblocking); }
  override write(buf: Uint8Array): IoResult { return masterWrite(this.tty, buf, this.nonblocking); }
  override ioctl(t: Task, req: number, arg: number): IoResult {
    return ttyIoctl({ tty: this.tty, master: true, readable: this.readable, openPeer: this.openSlave }, t, req, arg);
  }
  override available(): number { return this.tty.outq.size; }

  override pollMask(): number {
    const tty = this.tty;
    return (tty.outq.size ? POLL.IN | POLL.RDNORM : 0) | (tty.slaveClosed ? POLL.HUP : 0)
      | (tty.slaveOpens > 0 && tty.ldisc.room > 0 ? POLL.OUT | POLL.WRNORM : 0);
  }

  /** The last close of the master: the slave hangs up and /dev/pts/N goes away (devpts_pty_kill). */
  protected override release(): void {
    this.tty.hangup();
    ttysOf(this.tty.kernel).delete(this.tty);
  }
}
