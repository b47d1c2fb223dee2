// Reading a host stream (pipe, socket, terminal) without ever blocking the event loop, and without losing
// bytes: a host read runs in the background into a buffer that guest reads take from, so a guest read that
// a signal interrupts leaves its bytes for the next read. A WaitQueue is notified when data, EOF or an
// error arrives (for readers and pollers). Two ways to wait for the host, both without polling:
//  - a blocking host fd: fs.read on libuv's thread pool, sized to what the guest asked (exact consumption);
//  - a non-blocking fd (fs.read says EAGAIN) or a terminal: a libuv stream (net.Socket / tty.ReadStream)
//    in paused mode, pulled only on demand (read-ahead bounded by its high-water mark). libuv reopens a
//    terminal rather than switch the shared description to O_NONBLOCK.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tty from 'node:tty';
import type { Readable } from 'node:stream';
import { E, err, fromHostError, type LinuxError } from '../kernel/errno.js';
import { WaitQueue } from '../kernel/wait-queue.js';
import { ByteQueue } from './byte-queue.js';

const isEagain = (e: unknown): boolean => ['EAGAIN', 'EWOULDBLOCK'].includes((e as NodeJS.ErrnoException)?.code ?? '');
/** Largest background read (a poll's prefetch, a big guest read). */
const MAX_CHUNK = 65536;

export class HostReader {
  readonly queue = new WaitQueue();
  private readonly buffer = new ByteQueue();
  private get size(): number { return this.buffer.size; }
  private eof = false;
  private error: LinuxError | null = null;
  private inflight = false;
  private stream: Readable | null = null;
  /** A pull is wanted: the next 'readable' moves the stream's data here. */
  private wanted = false;

  constructor(private readonly fd: number, terminal: boolean) {
    if (terminal) this.openStream(true);
  }

  /** Data, EOF or an error is there for the next read. */
  get ready(): boolean { return this.size > 0 || this.eof || this.error !== null; }
  get atEof(): boolean { return this.size === 0 && this.eof; }
  get buffered(): number { return this.size; }

  /** Take buffered bytes (0 at EOF); an error is reported once, after the bytes before it. */
  take(buf: Uint8Array): number {
    if (this.size === 0 && this.error) { const e = this.error; this.error = null; throw e; }
    return this.buffer.take(buf);
  }

  /**
   * Make sure something will arrive: start a host read of up to `want` bytes unless one is under way.
   * `poll`: a poll wants to know, not a guest read: use the libuv stream even on a blocking fd, since a
   * thread-pool read nobody may ever satisfy (a poll of stdout's socket) would hold up the process's exit.
   */
  demand(want: number, poll = false): void {
    if (this.ready) return;
    if (!this.stream && poll && !this.inflight) this.openStream(false);
    if (this.stream) { this.wanted = true; this.pull(); return; }
    if (this.inflight) return;
    this.inflight = true;
    const b = Buffer.allocUnsafe(Math.max(1, Math.min(want, MAX_CHUNK)));
    fs.read(this.fd, b, 0, b.length, null, (e, n) => {
      this.inflight = false;
      if (e && isEagain(e)) { this.openStream(false); this.demand(want); return; }
      if (e) this.error = fromHostError(e);
      else if (n === 0) this.eof = true;
      else this.push(b.subarray(0, n));
      this.queue.notify();
    });
  }

  private push(c: Uint8Array): void { this.buffer.push(c); }

  /** Move what the stream holds into the buffer (read() at the end of the data lets 'end' come). */
  private pull(): void {
    const s = this.stream!;
    const c = s.read() as Buffer | null;
    if (c !== null) { this.push(c); this.wanted = false; this.queue.notify(); }
  }

  private openStream(terminal: boolean): void {
    let s: Readable;
    try { s = uvStream(this.fd, terminal, true); } catch (e) {
      this.error = (e as NodeJS.ErrnoException).code ? fromHostError(e) : err(E.EIO);
      return;
    }
    this.stream = s;
    s.on('readable', () => { if (this.wanted) this.pull(); });
    s.on('end', () => { this.eof = true; this.queue.notify(); });
    s.on('error', (e) => { this.error = fromHostError(e); this.queue.notify(); });
  }

}

/** One libuv stream per host fd, shared by readers and writers (two handles on one fd would clash in epoll). */
const uvStreams = new Map<number, net.Socket>();

/** The fd's libuv stream: a terminal's (libuv reopens it) or a pipe/socket's; unref'd, live tasks keep us up. */
export function uvStream(fd: number, terminal: boolean, read: boolean): net.Socket {
  let s = uvStreams.get(fd);
  if (!s) {
    s = terminal ? (read ? new tty.ReadStream(fd) : new tty.WriteStream(fd))
      : new net.Socket({ fd, readable: read, writable: true, allowHalfOpen: true });
    s.unref();
    uvStreams.set(fd, s);
    s.once('close', () => uvStreams.delete(fd));
  }
  return s;
}
