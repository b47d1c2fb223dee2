// One TCP connection's host side: a Node net.Socket and the bytes it delivered that the guest has not read.
// Bounded both ways: reading from the host pauses while the guest's receive buffer (SO_RCVBUF) is full, and
// the guest's writes wait while Node holds a send buffer's worth (SO_SNDBUF) not yet taken by the host kernel.
import type { Socket } from 'node:net';
import { E } from '../kernel/errno.js';
import type { WaitQueue } from '../kernel/wait-queue.js';
import { type InetOptions, hostErrno } from './inet-socket.js';

/** How long a closed connection may go on flushing its last bytes to a peer that does not read (an orphan's life). */
const ORPHAN_MS = 60_000;

export class TcpConnection {
  private readonly inbox: Buffer[] = [];
  inboxBytes = 0;
  connected: boolean;
  /** The peer's FIN arrived (RCV_SHUTDOWN from the wire). */
  eof = false;
  /** The connection is gone (reset, or the host socket closed): TCP_CLOSE. */
  closed = false;
  private paused = false;

  /** `onError` receives an errno for sk_err: a failed connect's, or a reset's (EPIPE once the peer's FIN came, as tcp_reset). */
  constructor(readonly sock: Socket, private readonly queue: WaitQueue, private readonly opts: InetOptions,
    connected: boolean, private readonly onError: (errno: number) => void) {
    this.connected = connected;
    this.closed = sock.destroyed; // reset while it waited to be accepted
    sock.unref(); // live tasks keep the instance up, not a socket
    sock.on('connect', () => { this.connected = true; this.applyOptions(); queue.notify(); });
    sock.on('data', (b: Buffer) => {
      this.inbox.push(b);
      this.inboxBytes += b.length;
      if (this.inboxBytes >= this.opts.rcvBuf) { sock.pause(); this.paused = true; }
      queue.notify();
    });
    sock.on('end', () => { this.eof = true; queue.notify(); });
    sock.on('drain', () => queue.notify());
    sock.on('error', (e) => {
      this.closed = true;
      this.onError(this.connected && this.eof ? E.EPIPE : hostErrno(e));
    });
    sock.on('close', () => { this.closed = true; queue.notify(); });
    if (connected) this.applyOptions();
  }

  get connecting(): boolean { return !this.connected && !this.closed; }
  /** Room in the send buffer: what a write may hand Node now. */
  get room(): number { return this.closed ? 0 : Math.max(0, this.opts.sndBuf - this.sock.writableLength); }

  applyOptions(): void {
    if (this.closed || !this.connected) return;
    this.sock.setNoDelay(this.opts.noDelay);
    this.sock.setKeepAlive(this.opts.keepAlive);
  }

  /** Start delivering bytes (an accepted connection was created paused). */
  start(): void { this.sock.resume(); }

  /** Copy up to `want` bytes into `out` from offset `at`; PEEK leaves them queued. */
  take(out: (data: Uint8Array, at: number) => void, at: number, want: number, peek: boolean): number {
    let n = 0, i = 0;
    while (n < want && i < this.inbox.length) {
      const b = this.inbox[i];
      const k = Math.min(b.length, want - n);
      out(b.subarray(0, k), at + n);
      n += k;
      if (peek) i++;
      else if (k === b.length) this.inbox.shift();
      else this.inbox[0] = b.subarray(k);
    }
    if (!peek) {
      this.inboxBytes -= n;
      if (this.paused && this.inboxBytes < this.opts.rcvBuf / 2) { this.paused = false; this.sock.resume(); }
    }
    return n;
  }

  /** Hand bytes to Node (copied: the guest's memory changes); a writer waiting for room re-checks once they leave. */
  write(data: Uint8Array): void { this.sock.write(Buffer.from(data), () => this.queue.notify()); }
  /** SHUT_WR: a FIN after what is queued; reading goes on (allowHalfOpen). */
  end(): void { if (!this.closed) this.sock.end(); }

  /**
   * The last close (tcp_close): unread bytes or SO_LINGER 0 reset the connection; otherwise what is queued is
   * sent, then a FIN, and the host socket goes once flushed (or after ORPHAN_MS).
   */
  close(reset: boolean): void {
    const unread = this.inboxBytes > 0;
    this.inbox.length = 0;
    this.inboxBytes = 0;
    if (this.closed) return;
    if (!this.connected) { this.sock.destroy(); return; }
    if (reset || unread) { this.sock.resetAndDestroy(); return; }
    const timer = setTimeout(() => this.sock.destroy(), ORPHAN_MS).unref();
    this.sock.on('close', () => clearTimeout(timer));
    this.sock.end(() => this.sock.destroy());
  }
}
