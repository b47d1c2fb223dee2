// A terminal session's pseudo-terminal (the tty layer's createSessionTerminal, src/emu/fs/tty/), linked to
// the client's connection with the same credit-based flow control as the pipe streams: pty output is sent
// as stdout DATA while fewer than WINDOW bytes are unacknowledged, then paused (Linux writers block on the
// full pty buffer) until the client acks. Keystrokes go to the line discipline, which turns ^C into SIGINT;
// the client may send only INPUT_WINDOW of them ahead of the line discipline, and gets credit back as they
// enter it, so a guest that does not read stalls the client's input instead of filling the daemon.
import type { Kernel } from '../emu/kernel/kernel.js';
import type { OpenFile } from '../emu/fs/file.js';
import { createSessionTerminal, type SessionTerminal } from '../emu/fs/tty/session-terminal.js';
import { N_TTY_BUF_SIZE } from '../emu/fs/tty/ldisc.js';
import { NCCS, baudOf, defaultTermios, type Termios } from '../emu/fs/tty/termios.js';
import { FrameError } from '../interop/protocol/frame.js';
import { DATA_CHUNK, WINDOW, type TerminalModes, type WinSize } from '../interop/protocol/messages.js';

/** Keystroke bytes the client may have sent that the line discipline has not taken yet: one n_tty buffer. */
export const INPUT_WINDOW = N_TTY_BUF_SIZE;

export class TerminalLink {
  private readonly term: SessionTerminal;
  private inflight = 0;
  private paused = false;
  private drainWaiters: Array<() => void> = [];

  private credit = 0;

  /** send(bytes): one stdout DATA frame to the client; grant(n): n more bytes of stdin credit. */
  constructor(kernel: Kernel, size: WinSize, modes: TerminalModes | undefined,
    private readonly send: (bytes: Uint8Array) => void, private readonly grant: (n: number) => void) {
    this.term = createSessionTerminal(kernel, size);
    if (modes !== undefined) this.term.tty.setTermios(termiosOf(modes));
    this.term.onInputTaken((n) => this.give(n));
    this.term.onOutput((bytes) => {
      for (let i = 0; i < bytes.length; i += DATA_CHUNK) this.send(bytes.subarray(i, i + DATA_CHUNK));
      this.inflight += bytes.length;
      if (this.inflight < WINDOW) return true;
      this.paused = true;
      return false;
    });
  }

  /** The pty slave: fds 0 and 1 (and 2 when stderr is a terminal too). */
  get slave(): OpenFile { return this.term.slave; }

  /** Keystrokes flow from the start: the first credit. */
  start(): void { this.give(INPUT_WINDOW); }

  private give(n: number): void { this.credit += n; this.grant(n); }

  /** Keystrokes, within the credit granted (more is a protocol violation). */
  input(bytes: Uint8Array): void {
    if (bytes.length > this.credit) throw new FrameError('malformed', 'terminal input beyond the granted credit');
    this.credit -= bytes.length;
    this.term.input(bytes);
  }

  /** The client wrote n bytes of output to its terminal. */
  ack(n: number): void {
    this.inflight = Math.max(0, this.inflight - n);
    if (this.paused && this.inflight < WINDOW) { this.paused = false; this.term.resumeOutput(); }
    this.checkDrained();
  }

  resize(size: WinSize): void { this.term.resize(size.rows, size.cols); }

  hangup(): void { this.term.hangup(); this.drainWaiters.splice(0).forEach((w) => w()); }

  /** Resolves once everything the Linux side wrote has been sent (before the exit status goes out). */
  drained(): Promise<void> {
    return new Promise((resolve) => { this.drainWaiters.push(resolve); queueMicrotask(() => this.checkDrained()); });
  }

  private checkDrained(): void {
    if (this.paused || this.term.tty.outq.size > 0 || !this.drainWaiters.length) return;
    this.drainWaiters.splice(0).forEach((w) => w());
  }
}

/** The client's terminal modes as the pty's termios (speeds follow cflag's CBAUD, as TCSETS sets them). */
function termiosOf(m: TerminalModes): Termios {
  const u32 = (v: unknown): boolean => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff;
  const flags = [m.iflag, m.oflag, m.cflag, m.lflag];
  if (!flags.every(u32) || !Array.isArray(m.cc) || m.cc.length > NCCS || !m.cc.every((c) => Number.isInteger(c) && c >= 0 && c <= 255)) {
    throw new FrameError('malformed', 'create: terminal modes');
  }
  const t = defaultTermios();
  t.cc.set(m.cc);
  const speed = baudOf(m.cflag);
  return { ...t, iflag: m.iflag, oflag: m.oflag, cflag: m.cflag, lflag: m.lflag, ispeed: speed, ospeed: speed };
}
