// One terminal (struct tty_struct, drivers/tty/tty_io.c): termios, window size, the line discipline,
// the output buffer toward the master side, the foreground process group and session, hangup.
import type { Kernel } from '../../kernel/kernel.js';
import { SIG } from '../../kernel/signals.js';
import { WaitQueue } from '../../kernel/wait-queue.js';
import { ByteQueue } from '../byte-queue.js';
import { LineDiscipline, type LdiscHost } from './ldisc.js';
import { OutputProcessor } from './output.js';
import { ttySignal } from './signals.js';
import { IFLAG, defaultTermios, masterTermios, type Termios } from './termios.js';

/** struct winsize. */
export interface Winsize { row: number; col: number; xpixel: number; ypixel: number; }

/** Bytes the slave may have written before the master side reads (the pty's buffer limit). */
export const OUTPUT_CAPACITY = 65536;

export class Tty implements LdiscHost {
  termios: Termios = defaultTermios();
  /** The master side's own termios (kept for TCGETS on the master; it does not process data). */
  masterTermios: Termios = masterTermios();
  winsize: Winsize = { row: 0, col: 0, xpixel: 0, ypixel: 0 };
  /** Foreground process group and session (tty->ctrl.pgrp, tty->ctrl.session); null when none. */
  pgrp: number | null = null;
  session: number | null = null;
  readonly output = new OutputProcessor();
  readonly ldisc: LineDiscipline = new LineDiscipline(this);
  /** Notified on every change of readability, writability or state (reads, writes, poll). */
  readonly queue = new WaitQueue();
  /** Output of the slave (and echoes) not yet read by the master side. */
  readonly outq = new ByteQueue();
  /** IXON / TCOOFF: output stopped. */
  stopped = false;
  hungUp = false;
  /** Open slave files; whether one was ever opened (the master then sees EIO once they are all closed). */
  slaveOpens = 0;
  slaveEverOpened = false;
  /** unlockpt(3) clears it (TIOCSPTLCK); the slave can't be opened while locked. */
  locked = true;
  /** TIOCPKT on the master. */
  packet = false;
  /** TIOCEXCL. */
  exclusive = false;
  /** Owner and mode of the /dev/pts node (grantpt, chmod, chown on it). */
  owner = { uid: 0, gid: 5, mode: 0o620 };
  /** Session terminals: adopt the first session leader that uses the slave as its controlling terminal. */
  adoptLeader = false;
  /** Called when output was queued (the session terminal pushes it to its client). */
  onOutput: (() => void) | null = null;

  constructor(readonly kernel: Kernel, readonly index: number) {}

  get name(): string { return `/dev/pts/${this.index}`; }
  get outputRoom(): number { return Math.max(0, OUTPUT_CAPACITY - this.outq.size); }
  /** Every slave file was closed after one was opened (TTY_OTHER_CLOSED on the master). */
  get slaveClosed(): boolean { return this.slaveEverOpened && this.slaveOpens === 0; }

  // LdiscHost
  echo(bytes: Uint8Array): void { this.queueOutput(bytes); }
  signal(sig: number): void { if (this.pgrp !== null) ttySignal.toGroup(this.kernel, this.pgrp, sig); }
  flushOutput(): void { this.outq.clear(); this.changed(); }
  setStopped(s: boolean): void { if (this.stopped !== s) { this.stopped = s; this.changed(); } }
  changed(): void { this.queue.notify(); }

  /** Processed output bytes for the master side. */
  queueOutput(bytes: Uint8Array): void {
    if (!bytes.length || this.hungUp) return;
    this.outq.push(bytes);
    this.changed();
    this.onOutput?.();
  }

  /** Master-side input (typing): as much as the line discipline takes now. */
  input(data: Uint8Array): number {
    if (this.hungUp) return data.length;
    return this.ldisc.receive(data);
  }

  /** TCSETS*: new termios; the line discipline adjusts, and turning IXON off restarts stopped output. */
  setTermios(t: Termios): void {
    const old = this.termios;
    this.termios = t;
    this.ldisc.termiosChanged(old);
    if (this.stopped && !(t.iflag & IFLAG.IXON)) this.setStopped(false);
    this.changed();
  }

  /** tty_do_resize: a real change sends SIGWINCH to the foreground process group. */
  resize(ws: Winsize): void {
    const w = this.winsize;
    if (w.row === ws.row && w.col === ws.col && w.xpixel === ws.xpixel && w.ypixel === ws.ypixel) return;
    this.winsize = { ...ws };
    this.signal(SIG.SIGWINCH);
  }

  /**
   * __tty_hangup (the master side went away): the session leader gets SIGHUP and SIGCONT, and the
   * foreground group SIGHUP+SIGCONT as well (what disassociate_ctty does when the leader then exits; done
   * now so a foreground job never outlives its terminal). Reads then return 0 and writes EIO.
   */
  hangup(): void {
    if (this.hungUp) return;
    this.hungUp = true;
    const { session, pgrp } = this;
    this.session = null;
    this.pgrp = null;
    this.outq.clear();
    this.stopped = false;
    if (session !== null) {
      ttySignal.toProcess(this.kernel, session, SIG.SIGHUP);
      ttySignal.toProcess(this.kernel, session, SIG.SIGCONT);
    }
    if (pgrp !== null && pgrp !== session) {
      ttySignal.toGroup(this.kernel, pgrp, SIG.SIGHUP);
      ttySignal.toGroup(this.kernel, pgrp, SIG.SIGCONT);
    }
    this.changed();
  }
}
