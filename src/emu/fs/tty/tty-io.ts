// Reading and writing a terminal (drivers/tty/n_tty.c n_tty_read / n_tty_write, pty.c pty_write):
// canonical lines, VMIN/VTIME, background checks, output processing with backpressure, hangup and EIO.
import { E, err } from '../../kernel/errno.js';
import { SIG } from '../../kernel/signals.js';
import { current, waitOn } from '../../kernel/wait-queue.js';
import type { IoResult } from '../file.js';
import { checkChange } from './jobctrl.js';
import { LFLAG, VMIN, VTIME } from './termios.js';
import type { Tty } from './tty.js';

/** n_tty_read on the slave. */
export function slaveRead(tty: Tty, buf: Uint8Array, nonblock: boolean): IoResult {
  if (tty.hungUp) return 0;
  checkChange(tty, current(), SIG.SIGTTIN);
  if (buf.length === 0) return 0;
  if (tty.termios.lflag & LFLAG.ICANON) {
    // a reader already waiting when the master closes gets EIO (TTY_OTHER_CLOSED); later reads see 0
    const attempt = (): number | null => { if (tty.hungUp) throw err(E.EIO); return tty.ldisc.readLine(buf); };
    const now = attempt();
    if (now !== null) return now;
    if (nonblock) throw err(E.EAGAIN);
    return waitOn([tty.queue], attempt);
  }
  return rawRead(tty, buf, nonblock);
}

/** Non-canonical: MIN bytes (capped by the buffer), TIME tenths of a second (overall if MIN is 0, else between bytes). */
function rawRead(tty: Tty, buf: Uint8Array, nonblock: boolean): IoResult {
  const min = tty.termios.cc[VMIN], time = tty.termios.cc[VTIME] * 100;
  let got = tty.ldisc.readRaw(buf);
  if (min === 0 && time === 0) return got;
  const want = Math.min(Math.max(min, 1), buf.length);
  if (got >= want) return got;
  if (nonblock) { if (got) return got; throw err(E.EAGAIN); }
  let expired = false;
  let timer: NodeJS.Timeout | null = null;
  const interbyte = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { expired = true; tty.changed(); }, time);
  };
  if (min > 0 && time > 0 && got > 0) interbyte();
  const attempt = (): number | null => {
    if (tty.hungUp) { if (got) return got; throw err(E.EIO); }
    const n = tty.ldisc.readRaw(buf.subarray(got));
    if (n) { got += n; if (min > 0 && time > 0) interbyte(); }
    return got >= want || expired ? got : null;
  };
  const stop = (): void => { if (timer) clearTimeout(timer); };
  const opts = min === 0
    ? { timeoutMs: time, onTimeout: () => got, onInterrupt: () => (got ? got : null) }
    : { onInterrupt: () => { stop(); return got ? got : null; } };
  const r = waitOn([tty.queue], attempt, opts);
  if (typeof r === 'number') { stop(); return r; }
  return r.finally(stop);
}

/** n_tty_write on the slave: OPOST processing into the master's buffer, waiting for room or ^Q. */
export function slaveWrite(tty: Tty, buf: Uint8Array, nonblock: boolean): IoResult {
  if (tty.hungUp) throw err(E.EIO);
  if (tty.termios.lflag & LFLAG.TOSTOP) checkChange(tty, current(), SIG.SIGTTOU);
  if (buf.length === 0) return 0;
  let done = 0;
  const attempt = (): number | null => {
    if (tty.hungUp) { if (done) return done; throw err(E.EIO); }
    if (tty.stopped) return null;
    const room = tty.outputRoom;
    if (room <= 0) return null;
    const n = Math.min(room, buf.length - done);
    tty.queueOutput(tty.output.process(tty.termios, buf.subarray(done, done + n)));
    done += n;
    return done === buf.length ? done : null;
  };
  const now = attempt();
  if (now !== null) return now;
  if (nonblock) { if (done) return done; throw err(E.EAGAIN); }
  return waitOn([tty.queue], attempt, { onInterrupt: () => (done ? done : null) });
}

/** Reading the master: what the slave wrote; EIO once every slave file is closed and nothing is left. */
export function masterRead(tty: Tty, buf: Uint8Array, nonblock: boolean): IoResult {
  if (buf.length === 0) return 0;
  const attempt = (): number | null => {
    if (tty.outq.size) {
      if (!tty.packet) { const n = tty.outq.take(buf); tty.changed(); return n; }
      buf[0] = 0; // TIOCPKT_DATA
      const n = tty.outq.take(buf.subarray(1));
      tty.changed();
      return n + 1;
    }
    if (tty.slaveClosed || tty.hungUp) throw err(E.EIO);
    return null;
  };
  const now = attempt();
  if (now !== null) return now;
  if (nonblock) throw err(E.EAGAIN);
  return waitOn([tty.queue], attempt);
}

/** Writing the master: input for the slave's line discipline, waiting while its buffer is full. */
export function masterWrite(tty: Tty, buf: Uint8Array, nonblock: boolean): IoResult {
  if (tty.slaveOpens === 0 || tty.hungUp) throw err(E.EIO);
  let done = 0;
  const attempt = (): number | null => {
    if (tty.slaveOpens === 0) { if (done) return done; throw err(E.EIO); }
    done += tty.input(buf.subarray(done));
    return done === buf.length ? done : null;
  };
  const now = attempt();
  if (now !== null) return now;
  if (nonblock) { if (done) return done; throw err(E.EAGAIN); }
  return waitOn([tty.queue], attempt, { onInterrupt: () => (done ? done : null) });
}
