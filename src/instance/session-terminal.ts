// A terminal session's pseudo-terminal (the tty layer's createSessionTerminal, src/emu/fs/tty/), linked to
// the client's connection with the same credit-based flow control as the pipe streams: pty output is sent
// as stdout DATA while fewer than WINDOW bytes are unacknowledged, then paused (Linux writers block on the
// full pty buffer) until the client acks. Keystrokes go to the line discipline, which turns ^C into SIGINT.
import type { Kernel } from '../emu/kernel/kernel.js';
import type { OpenFile } from '../emu/fs/file.js';
import { createSessionTerminal, type SessionTerminal } from '../emu/fs/tty/session-terminal.js';
import { DATA_CHUNK, WINDOW, type WinSize } from '../interop/protocol/messages.js';

export class TerminalLink {
  private readonly term: SessionTerminal;
  private inflight = 0;
  private paused = false;
  private drainWaiters: Array<() => void> = [];

  /** send(bytes): one stdout DATA frame to the client. */
  constructor(kernel: Kernel, size: WinSize, private readonly send: (bytes: Uint8Array) => void) {
    this.term = createSessionTerminal(kernel, size);
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

  /** Keystrokes. The line discipline queues what it cannot take yet (typing speed: no credit needed). */
  input(bytes: Uint8Array): void { this.term.input(bytes); }

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
