// The terminal of an interactive session: a pty whose master side is the daemon (what sshd or a terminal
// emulator holds in Linux, drivers/tty/pty.c): keystrokes in, output out with backpressure, resize, hangup.
//
// Contract for the daemon:
//   const term = createSessionTerminal(kernel, { rows, cols });
//   kernel.spawn({ ..., stdio: [term.slave, term.slave, term.slave] });  // a session leader: the pty becomes
//                                  // its controlling terminal on first use (or call term.attach(proc) at once)
//   term.onOutput((bytes) => socket.write(bytes));   // return false to pause, then call term.resumeOutput()
//                                                    // (e.g. on the socket's 'drain'); pauseOutput() also works
//   term.input(keys); term.resize(rows, cols); term.hangup() when the client goes away.
//   term.onInputTaken((n) => ...)   // n queued keystroke bytes reached the line discipline: credit for more
// While output is paused (or no callback is registered yet) the guest's writes fill the pty's buffer
// (OUTPUT_CAPACITY bytes) and then block, as a Linux program blocks on a terminal nobody reads.
import type { Kernel } from '../../kernel/kernel.js';
import type { Task } from '../../kernel/task.js';
import { rootCreds } from '../../kernel/capability.js';
import { O } from '../constants.js';
import type { OpenFile } from '../file.js';
import { DevPtsFs } from './devpts.js';
import { ttysOf } from './registry.js';
import type { Tty } from './tty.js';

export interface SessionTerminal {
  /** The slave side, to install as fds 0, 1 and 2 of the session's first process. */
  readonly slave: OpenFile;
  /** Its name inside Linux (/dev/pts/N). */
  readonly name: string;
  readonly tty: Tty;
  /** Keystrokes from the client (queued when the line discipline is full). */
  input(bytes: Uint8Array): void;
  /** Called as input bytes enter the line discipline (at once, or when a reader makes room). */
  onInputTaken(cb: (n: number) => void): void;
  /** Where output goes; the callback returning false pauses output until resumeOutput(). */
  onOutput(cb: (bytes: Uint8Array) => boolean | void): void;
  pauseOutput(): void;
  resumeOutput(): void;
  /** The client's window changed: SIGWINCH to the foreground process group. */
  resize(rows: number, cols: number): void;
  /** Make `proc` (a session leader) the terminal's session and foreground group now. */
  attach(proc: { pid: number; pgid: number; sid: number }): void;
  /** The client is gone: SIGHUP/SIGCONT to the session (see Tty.hangup); reads then see EOF, writes EIO. */
  hangup(): void;
}

export function createSessionTerminal(kernel: Kernel, size: { rows: number; cols: number }): SessionTerminal {
  const devpts = kernel.vfs.mounts.all().map((m) => m.fs).find((f): f is DevPtsFs => f instanceof DevPtsFs);
  if (!devpts) throw new Error('no devpts mounted');
  const creds = rootCreds();
  const kernelTask = { kernel, creds } as unknown as Task;
  const tty = devpts.allocate(null);
  tty.locked = false;
  tty.adoptLeader = true;
  tty.winsize = { row: size.rows, col: size.cols, xpixel: 0, ypixel: 0 };
  const slave = devpts.openSlave(tty, kernelTask, O.RDWR | O.NOCTTY).ref(); // held until hangup
  let sink: ((b: Uint8Array) => boolean | void) | null = null;
  let paused = false, scheduled = false, closed = false;
  let pendingInput: Uint8Array[] = [];
  let taken: ((n: number) => void) | null = null;

  const flush = (): void => {
    scheduled = false;
    while (sink && !paused && tty.outq.size) {
      const bytes = tty.outq.takeAll();
      tty.changed(); // room for blocked writers
      if (sink(bytes) === false) paused = true;
    }
  };
  const schedule = (): void => {
    if (scheduled || !sink || paused) return;
    scheduled = true;
    queueMicrotask(flush);
  };
  tty.onOutput = schedule;

  const drainInput = (): void => {
    while (pendingInput.length) {
      const b = pendingInput[0];
      const n = tty.input(b);
      if (n) taken?.(n);
      if (n < b.length) { pendingInput[0] = b.subarray(n); return; }
      pendingInput.shift();
    }
    tty.queue.remove(drainInput);
  };

  return {
    slave, tty, name: tty.name,
    input(bytes) {
      if (closed || !bytes.length) return;
      pendingInput.push(Uint8Array.from(bytes));
      if (pendingInput.length === 1) drainInput();
      if (pendingInput.length) tty.queue.add(drainInput);
    },
    onInputTaken(cb) { taken = cb; },
    onOutput(cb) { sink = cb; schedule(); },
    pauseOutput() { paused = true; },
    resumeOutput() { paused = false; schedule(); },
    resize(rows, cols) { if (!closed) tty.resize({ row: rows, col: cols, xpixel: 0, ypixel: 0 }); },
    attach(proc) {
      if (proc.pid !== proc.sid) throw new Error('attach: not a session leader');
      tty.adoptLeader = false;
      tty.session = proc.sid;
      tty.pgrp = proc.pgid;
    },
    hangup() {
      if (closed) return;
      closed = true;
      pendingInput = [];
      tty.queue.remove(drainInput);
      tty.hangup();
      ttysOf(kernel).delete(tty);
      sink = null;
      slave.unref();
    },
  };
}
