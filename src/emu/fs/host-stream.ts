// The host's standard streams (fd 0, 1, 2) as guest files, for the first process of a session.
// Reads are asynchronous (libuv's thread pool, never blocking the event loop); writes are synchronous
// until the host says EAGAIN, then finish in a Promise. ioctl answers ENOTTY, terminal or not: terminal
// semantics (termios, window size, job control) belong to the tty layer, which will wrap these streams.
import * as fs from 'node:fs';
import { isatty } from 'node:tty';
import { E, err, fromHostError } from '../kernel/errno.js';
import { O, SEEK_CUR, SEEK_END, SEEK_SET, isReg } from './constants.js';
import { OpenFile, type IoResult } from './file.js';
import { toStat } from './hostfs/host-stat.js';
import type { Stat } from './stat.js';

const isEagain = (e: unknown): boolean => ['EAGAIN', 'EWOULDBLOCK'].includes((e as NodeJS.ErrnoException)?.code ?? '');
const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class HostStream extends OpenFile {
  /** Reads are queued so concurrent readers get the bytes in order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** After an lseek on a host regular file, I/O is positional at our own position. */
  private positional = false;

  constructor(readonly hostFd: number, flags: number = O.RDWR) { super(flags); }

  override get stream(): boolean { return true; }
  get isTerminal(): boolean { return isatty(this.hostFd); }

  stat(): Stat {
    try { return toStat(fs.fstatSync(this.hostFd, { bigint: true })); } catch (e) { throw fromHostError(e); }
  }

  override read(buf: Uint8Array): IoResult {
    if (buf.length === 0) return 0;
    const at = this.positional ? this.pos : null;
    const p = this.queue.then(() => this.readOnce(buf, at));
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async readOnce(buf: Uint8Array, at: number | null): Promise<number> {
    for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
      try {
        const n = await new Promise<number>((res, rej) =>
          fs.read(this.hostFd, buf, 0, buf.length, at, (e, n) => (e ? rej(e) : res(n))));
        this.pos += n;
        return n;
      } catch (e) {
        if (!isEagain(e)) throw fromHostError(e);
        if (this.nonblocking) throw err(E.EAGAIN);
        await later(wait); // a non-blocking host fd: wait for input without a poll(2) of our own
      }
    }
  }

  /** Full writes; a broken pipe is EPIPE (the kernel raises SIGPIPE). */
  override write(buf: Uint8Array): IoResult {
    let done = 0;
    try {
      while (done < buf.length) done += this.writeSome(buf.subarray(done));
      return done;
    } catch (e) {
      if (!isEagain(e)) throw fromHostError(e);
      if (this.nonblocking) { if (done > 0) return done; throw err(E.EAGAIN); }
      return this.finishWrite(buf, done);
    }
  }

  private async finishWrite(buf: Uint8Array, done: number): Promise<number> {
    for (let wait = 1; done < buf.length; wait = Math.min(wait * 2, 50)) {
      await later(wait);
      try {
        while (done < buf.length) { done += this.writeSome(buf.subarray(done)); wait = 1; }
      } catch (e) {
        if (!isEagain(e)) throw fromHostError(e);
      }
    }
    return done;
  }

  private writeSome(b: Uint8Array): number {
    const n = fs.writeSync(this.hostFd, b, 0, b.length, this.positional ? this.pos : null);
    this.pos += n;
    return n;
  }

  /** lseek works when the host stream is a regular file (a redirect from a file); pipes and ttys: ESPIPE. */
  override seek(off: number, whence: number): number {
    const st = this.stat();
    if (!isReg(st.mode)) throw err(E.ESPIPE);
    const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? this.pos : whence === SEEK_END ? st.size : NaN;
    if (Number.isNaN(base) || base + off < 0) throw err(E.EINVAL);
    this.positional = true;
    return (this.pos = base + off);
  }

  override available(): number | null {
    const st = this.stat();
    return isReg(st.mode) ? Math.max(0, st.size - this.pos) : null;
  }

  override reopen(flags: number): OpenFile { return new HostStream(this.hostFd, flags); }

  /** /proc/self/fd/N: the host's own description of a pipe or socket, else a terminal or anonymous name. */
  override anonName(): string {
    try {
      const l = fs.readlinkSync(`/proc/self/fd/${this.hostFd}`);
      if (/^(pipe|socket):\[\d+\]$/.test(l) || l === '/dev/null') return l;
    } catch { /* not a Linux host */ }
    return this.isTerminal ? '/dev/pts/0' : `anon_inode:[host-fd-${this.hostFd}]`;
  }
}
