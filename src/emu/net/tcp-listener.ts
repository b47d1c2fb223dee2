// A bound TCP socket's host side: a Node net.Server listening on the bound address, and the connections it
// took that the guest has not accepted yet (inet_csk_accept's queue). Node has no bind without listen, so the
// server listens from bind(2) on; connections that arrive before the guest's listen(2) are reset.
import net from 'node:net';
import type { WaitQueue } from '../kernel/wait-queue.js';
import type { InetAddress } from './inet-address.js';
import { type InetOptions, type InetSocket, hostErrno } from './inet-socket.js';
import { err } from '../kernel/errno.js';

/** net.core.somaxconn: the most connections kept waiting for accept(2), whatever the backlog. */
const SOMAXCONN = 4096;

export class TcpListener {
  private readonly server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true });
  private readonly waiting: net.Socket[] = [];
  listening = false;
  backlog = 0;
  private closed = false;

  constructor(private readonly queue: WaitQueue, private readonly opts: InetOptions, private readonly wrap: (c: net.Socket) => InetSocket) {
    this.server.unref();
    this.server.on('error', () => {}); // accept errors after listen (EMFILE on the host) are the host's business
    this.server.on('connection', (c) => {
      c.on('error', () => {}); // a reset before accept(2) shows when the guest reads
      // not listening yet, or more waiting than net.core.somaxconn allows: Linux leaves those unanswered
      if (!this.listening || this.closed || this.waiting.length >= SOMAXCONN) { c.resetAndDestroy(); return; }
      this.waiting.push(c);
      queue.notify();
    });
  }

  /** Bind (and, underneath, listen) on `a`: EADDRINUSE, EADDRNOTAVAIL, EACCES come from the host. */
  bind(a: InetAddress): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (e: unknown): void => reject(err(hostErrno(e)));
      this.server.once('error', fail);
      this.server.listen({ host: a.host, port: a.port, ipv6Only: this.opts.v6only, exclusive: true }, () => {
        this.server.off('error', fail);
        resolve();
      });
    });
  }

  listen(backlog: number): void {
    this.listening = true;
    this.backlog = backlog;
    this.queue.notify();
  }

  get pending(): number { return this.waiting.length; }

  /** The ends of the connections waiting for accept(2) (each an established TCP connection of its own). */
  waitingEnds(): { sock: net.Socket; local: InetAddress; remote: InetAddress }[] {
    return this.waiting.filter((c) => !c.destroyed && c.localAddress && c.remoteAddress).map((c) => ({
      sock: c, local: { host: c.localAddress!, port: c.localPort ?? 0 }, remote: { host: c.remoteAddress!, port: c.remotePort ?? 0 },
    }));
  }

  /** The oldest connection not yet accepted, as a guest socket. */
  take(): InetSocket | null {
    const c = this.waiting.shift();
    return c ? this.wrap(c) : null;
  }

  address(): InetAddress | null {
    const a = this.server.address();
    return a && typeof a === 'object' ? { host: a.address, port: a.port } : null;
  }

  /** Stop listening; connections never accepted are reset (inet_csk_listen_stop). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.listening = false;
    for (const c of this.waiting.splice(0)) c.resetAndDestroy();
    this.server.close();
    this.queue.notify();
  }
}
