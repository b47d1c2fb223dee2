// SOCK_STREAM over AF_INET/AF_INET6 (tcp(7)) on Node's net: connection set-up as net/ipv4/af_inet.c
// (inet_stream_connect's socket states, EINPROGRESS/EALREADY/EISCONN) and the data path as tcp_recvmsg,
// tcp_sendmsg and tcp_poll report it. A bound socket owns a listening host server (tcp-listener.ts).
import net from 'node:net';
import { E, err } from '../kernel/errno.js';
import { ERESTARTSYS, waitOn } from '../kernel/wait-queue.js';
import { POLL } from '../fs/file.js';
import { AF_UNSPEC, type InetAddress, familyOf } from './inet-address.js';
import { IPPROTO_TCP, InetOptions, type InetReceived, type InetRow, InetSocket, noErrQueue } from './inet-socket.js';
import { TcpConnection } from './tcp-connection.js';
import { TcpListener } from './tcp-listener.js';
import { MSG_DONTWAIT, MSG_OOB, MSG_PEEK, MSG_WAITALL, RCV, SEND, scatter, sockWait } from './unix-socket.js';

/** TCP states (include/net/tcp_states.h) that a socket with a file can be in here. */
const TCP = { ESTABLISHED: 1, SYN_SENT: 2, FIN_WAIT2: 5, CLOSE_WAIT: 8, LISTEN: 10 } as const;

/** tcp_rmem[1] and tcp_wmem[1]: the buffer sizes a new TCP socket reports (SO_RCVBUF, SO_SNDBUF). */
export const TCP_RCVBUF = 131072, TCP_SNDBUF = 16384;

export class TcpSocket extends InetSocket {
  /** sock->state: what connect(2) has made of this socket, apart from where the connection itself is. */
  private state: 'unconnected' | 'connecting' | 'connected' = 'unconnected';
  private conn: TcpConnection | null = null;
  private listener: TcpListener | null = null;
  /** The ends of the connection, kept from when it was made (Node forgets them once the host socket closes). */
  private local: InetAddress | null = null;
  private remote: InetAddress | null = null;

  constructor(domain: number, opts: InetOptions, flags: number) { super(domain, 1, IPPROTO_TCP, opts, flags); }

  /** A connection a listener accepted: established, delivering bytes once accept(2) hands it out. */
  static accepted(parent: TcpSocket, sock: net.Socket): TcpSocket {
    const s = new TcpSocket(parent.domain, Object.assign(new InetOptions(0, 0), parent.opts), 0);
    s.attach(sock, true);
    s.state = 'connected';
    return s;
  }

  override get listening(): boolean { return this.listener?.listening ?? false; }
  get bound(): boolean { return this.listener !== null || this.conn !== null; }
  override available(): number { return this.conn?.inboxBytes ?? 0; }
  override applyOptions(): void { this.conn?.applyOptions(); }

  private attach(sock: net.Socket, connected: boolean): void {
    this.conn = new TcpConnection(sock, this.queue, this.opts, connected, (e) => this.fail(e));
    if (connected) this.remember();
    else sock.once('connect', () => this.remember());
  }

  private remember(): void {
    const s = this.conn!.sock;
    if (s.localAddress) this.local = { host: s.localAddress, port: s.localPort ?? 0 };
    if (s.remoteAddress) this.remote = { host: s.remoteAddress, port: s.remotePort ?? 0 };
  }

  /** bind(2): EINVAL when already bound or connected; the host reports EADDRINUSE, EADDRNOTAVAIL, EACCES. */
  bind(raw: Uint8Array): Promise<number> {
    const a = this.address(raw, true);
    if (this.listener || this.conn) throw err(E.EINVAL);
    const l = this.listener = new TcpListener(this.queue, this.opts, (c) => TcpSocket.accepted(this, c));
    return l.bind(a).then(() => 0, (e) => { this.listener = null; throw e; });
  }

  /** listen(2): an unbound socket is bound to an ephemeral port first (inet_autobind). */
  listen(backlog: number): number | Promise<number> {
    if (this.state !== 'unconnected' || this.conn) throw err(E.EINVAL);
    if (this.listener) { this.listener.listen(backlog); return 0; }
    const l = this.listener = new TcpListener(this.queue, this.opts, (c) => TcpSocket.accepted(this, c));
    return l.bind(this.anyAddress()).then(() => { l.listen(backlog); return 0; }, (e) => { this.listener = null; throw e; });
  }

  accept(): TcpSocket | Promise<TcpSocket> {
    const l = this.listener;
    if (!l?.listening) throw err(E.EINVAL);
    let got: TcpSocket | null = null;
    const attempt = (): number | null => {
      if (!l.listening) throw err(E.EINVAL);
      got = l.take() as TcpSocket | null;
      if (got) { got.conn!.start(); return 0; }
      if (this.nonblocking) throw err(E.EAGAIN);
      return null;
    };
    const r = waitOn([this.queue], attempt, sockWait(this.opts.rcvTimeo, () => 0));
    return typeof r === 'number' ? got! : r.then(() => got!);
  }

  /** connect(2) as inet_stream_connect; AF_UNSPEC disconnects (tcp_disconnect resets the connection). */
  connect(raw: Uint8Array): number | Promise<number> {
    if (this.listening) throw err(E.EISCONN);
    if (familyOf(raw) === AF_UNSPEC && raw.length >= 2) { this.disconnect(); return 0; }
    const a = this.address(raw);
    if (this.state === 'connected') throw err(E.EISCONN);
    if (this.state === 'unconnected') {
      this.start(a);
      if (this.nonblocking) throw err(E.EINPROGRESS);
    } else if (this.conn?.connecting && this.nonblocking) throw err(E.EALREADY);
    const timeo = this.opts.sndTimeo;
    return waitOn([this.queue], () => this.connectDone(), {
      timeoutMs: timeo === Infinity ? undefined : timeo,
      onTimeout: () => { throw err(E.EINPROGRESS); },
      interruptErrno: timeo === Infinity ? ERESTARTSYS : E.EINTR,
    });
  }

  /** A connect that has its answer: established (0), or failed with sk_err (ECONNABORTED when already taken). */
  private connectDone(): number | null {
    const c = this.conn;
    if (c?.connecting) return null;
    if (c && c.connected) { this.state = 'connected'; return 0; }
    this.state = 'unconnected';
    this.conn = null;
    throw err(this.takeError() || E.ECONNABORTED);
  }

  private start(a: InetAddress): void {
    const from = this.listener?.address() ?? null; // bound first: connect from that address
    this.listener?.close();
    this.listener = null;
    this.state = 'connecting';
    const opts: net.TcpNetConnectOpts = { host: a.host, port: a.port, allowHalfOpen: true };
    if (from) Object.assign(opts, { localAddress: from.host, localPort: from.port });
    let sock: net.Socket;
    try { sock = net.connect(opts); } catch { this.fail(E.EINVAL); this.conn = null; return; }
    this.attach(sock, false);
  }

  private disconnect(): void {
    this.conn?.close(true);
    this.conn = null;
    this.state = 'unconnected';
    this.shut = 0;
    this.remote = null;
  }

  send(data: Uint8Array, flags: number, _to: Uint8Array | null): number | Promise<number> {
    if (flags & MSG_OOB) throw err(E.EOPNOTSUPP, 'MSG_OOB: TCP urgent data is not provided');
    const nowait = this.nonblocking || (flags & MSG_DONTWAIT) !== 0;
    let sent = 0;
    const attempt = (): number | null => {
      const c = this.conn;
      if (c?.connecting) { if (nowait) throw err(E.EAGAIN); return null; } // sk_stream_wait_connect
      const done = (e: number): number => { if (sent > 0) return sent; throw err(e); };
      const e = this.takeError();
      if (e) return done(e);
      if (!c || c.closed || (this.shut & SEND)) return done(E.EPIPE);
      const n = Math.min(c.room, data.length - sent);
      if (n > 0) { c.write(data.subarray(sent, sent + n)); sent += n; }
      if (sent === data.length) return sent;
      if (nowait) return done(E.EAGAIN);
      return null;
    };
    return waitOn([this.queue], attempt, sockWait(this.opts.sndTimeo, () => sent));
  }

  receive(bufs: Uint8Array[], flags: number, got: InetReceived | null): number | Promise<number> {
    noErrQueue(flags);
    if (!this.conn) throw err(E.ENOTCONN);
    if (flags & MSG_OOB) throw err(E.EINVAL); // no urgent byte is ever queued
    const c = this.conn;
    const want = bufs.reduce((n, b) => n + b.length, 0);
    const peek = (flags & MSG_PEEK) !== 0;
    const waitall = (flags & (MSG_WAITALL | MSG_PEEK)) === MSG_WAITALL;
    let total = 0;
    if (got) got.from = null;
    const attempt = (): number | null => {
      if (c.connecting) return null; // SYN_SENT: data can only come later
      if (!c.connected) { const e = this.takeError(); throw err(e || E.ENOTCONN); } // the connect failed: TCP_CLOSE
      total += c.take((d, at) => scatter(bufs, at, d), total, want - total, peek);
      if (total === want || (total > 0 && !waitall)) return total;
      const e = this.takeError();
      if (e) { if (total > 0) return total; throw err(e); }
      if (c.eof || c.closed || (this.shut & RCV)) return total;
      return null;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking || flags & MSG_DONTWAIT) throw err(E.EAGAIN);
    return waitOn([this.queue], attempt, sockWait(this.opts.rcvTimeo, () => total));
  }

  /** inet_shutdown: ENOTCONN unless connected (the bits are set all the same); a listener stops on SHUT_RD. */
  shutdown(how: number): void {
    const mode = how + 1;
    if (this.listener) {
      if (mode & RCV) this.listener.close();
      if (mode & RCV) this.listener = null;
      return;
    }
    this.shut |= mode;
    this.queue.notify();
    if (!this.conn?.connected || this.conn.closed) throw err(E.ENOTCONN);
    if (mode & SEND) this.conn.end();
  }

  sockName(peer: boolean): Uint8Array {
    if (peer) {
      if (!this.conn?.connected || !this.remote || this.conn.closed) throw err(E.ENOTCONN); // by the TCP state, not connect's
      return this.encode(this.remote.host, this.remote.port);
    }
    const a = this.listener?.address() ?? this.local ?? this.anyAddress();
    return this.encode(a.host, a.port);
  }

  /**
   * The row tcp4_seq_show prints: listening, connecting, or a connection by the FINs sent and received (a FIN
   * counts one in the receive queue, as rcv_nxt - copied_seq does); a connection both ends finished is gone
   * from the listing (TIME_WAIT/LAST_ACK live in the host's TCP). The send queue is what Node still holds. A
   * listener also lists the connections waiting for accept(2) (what they received sits in the host: 0).
   */
  procRows(): InetRow[] {
    const l = this.listener;
    if (l?.listening) {
      const a = l.address();
      if (!a) return [];
      const waiting = l.waitingEnds().map((e) => ({ state: TCP.ESTABLISHED, local: e.local, remote: e.remote, tx: 0, rx: 0, embryo: e.sock }));
      return [{ state: TCP.LISTEN, local: a, remote: null, tx: 0, rx: l.pending }, ...waiting];
    }
    const c = this.conn;
    if (!c || c.closed) return [];
    const tx = c.sock.writableLength, rx = c.inboxBytes + (c.eof ? 1 : 0);
    if (c.connecting) return [{ state: TCP.SYN_SENT, local: this.local ?? this.anyAddress(), remote: this.remote, tx, rx }];
    const sentFin = (this.shut & SEND) !== 0;
    if (sentFin && c.eof) return [];
    const state = sentFin ? TCP.FIN_WAIT2 : c.eof ? TCP.CLOSE_WAIT : TCP.ESTABLISHED;
    return this.local ? [{ state, local: this.local, remote: this.remote, tx, rx }] : [];
  }

  /** tcp_poll. */
  override pollMask(): number {
    if (this.listener?.listening) return this.listener.pending ? POLL.IN | POLL.RDNORM : 0;
    let m = this.pendingError ? POLL.ERR : 0;
    const c = this.conn;
    if (c?.connecting) return m;
    const closed = !c || c.closed;
    const rcvShut = (this.shut & RCV) !== 0 || (c?.eof ?? false) || (c !== null && c.closed);
    if (closed || (rcvShut && (this.shut & SEND))) m |= POLL.HUP;
    if (rcvShut) m |= POLL.IN | POLL.RDNORM | POLL.RDHUP;
    if (c && c.inboxBytes > 0) m |= POLL.IN | POLL.RDNORM;
    if (!c || c.closed || (this.shut & SEND) || c.room > 0) m |= POLL.OUT | POLL.WRNORM;
    return m;
  }

  protected override release(): void {
    this.listener?.close();
    this.conn?.close(this.opts.linger === 0);
    this.queue.notify();
  }
}

