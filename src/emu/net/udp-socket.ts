// SOCK_DGRAM over AF_INET/AF_INET6 (udp(7)) on Node's dgram: bind, an implicit bind on first use
// (inet_autobind), connect as the default peer (the host socket is connected too, so it filters senders and
// reports ICMP errors), datagrams kept whole. Bounded like udp_queue_rcv_skb: past SO_RCVBUF arrivals are
// dropped; a send waits while SO_SNDBUF bytes are still on their way out of Node.
import dgram from 'node:dgram';
import { E, err } from '../kernel/errno.js';
import { waitOn } from '../kernel/wait-queue.js';
import { POLL } from '../fs/file.js';
import { AF_INET, AF_INET6, AF_UNSPEC, type InetAddress, familyOf, parseInet } from './inet-address.js';
import { IPPROTO_UDP, type InetOptions, type InetReceived, type InetRow, InetSocket, hostErrno, noErrQueue } from './inet-socket.js';
import { MSG_DONTWAIT, MSG_OOB, MSG_PEEK, MSG_TRUNC, RCV, SEND, scatter, sockWait } from './unix-socket.js';

/** net.core.rmem_default / wmem_default: a UDP socket's SO_RCVBUF and SO_SNDBUF. */
export const UDP_BUF = 212992;
/** The largest payload of one datagram: 65535 less the IPv4 (20) or IPv6 fixed headers counted by the stack, and UDP's 8. */
const maxPayload = (domain: number): number => (domain === AF_INET ? 65507 : 65527);

/** A copy of a sockaddr with another family. */
const withFamily = (raw: Uint8Array, family: number): Uint8Array => { const c = Uint8Array.from(raw); c[0] = family; c[1] = 0; return c; };

interface Datagram { data: Buffer; host: string; port: number; }

export class UdpSocket extends InetSocket {
  private sock: dgram.Socket | null = null;
  private binding: Promise<void> | null = null;
  private peer: InetAddress | null = null;
  private readonly inbox: Datagram[] = [];
  private inboxBytes = 0;
  /** Bytes handed to Node and not yet sent by the host (the send buffer in use). */
  private inflight = 0;

  constructor(domain: number, opts: InetOptions, flags: number) { super(domain, 2, IPPROTO_UDP, opts, flags); }

  get bound(): boolean { return this.sock !== null; }
  override available(): number { return this.inbox[0]?.data.length ?? 0; } // SIOCINQ: the next datagram's size
  override applyOptions(): void { if (this.sock && !this.binding) this.sock.setBroadcast(this.opts.broadcast); }

  bind(raw: Uint8Array): Promise<number> {
    const a = this.address(raw, true);
    if (this.sock) throw err(E.EINVAL);
    return this.hostBind(a).then(() => 0);
  }

  private hostBind(a: InetAddress): Promise<void> {
    const s = this.sock = dgram.createSocket({ type: this.domain === AF_INET ? 'udp4' : 'udp6', reuseAddr: this.opts.reuseAddr, ipv6Only: this.opts.v6only });
    s.unref();
    s.on('message', (data, rinfo) => {
      if (this.inboxBytes + data.length > this.opts.rcvBuf) return; // the receive buffer is full: dropped
      this.inbox.push({ data, host: rinfo.address, port: rinfo.port });
      this.inboxBytes += data.length;
      this.queue.notify();
    });
    this.binding = new Promise<void>((resolve, reject) => {
      const fail = (e: unknown): void => {
        this.sock = null;
        this.binding = null;
        try { s.close(); } catch { /* never bound: nothing to close */ }
        reject(err(hostErrno(e)));
      };
      s.once('error', fail);
      s.bind({ address: a.host, port: a.port, exclusive: true }, () => {
        s.off('error', fail);
        s.on('error', (e) => this.fail(hostErrno(e)));
        this.binding = null;
        this.applyOptions();
        resolve();
      });
    });
    return this.binding;
  }

  /** Bound, binding to the wildcard first when not (what sendto and connect do to an unbound socket). */
  private ready(then: () => number | Promise<number>): number | Promise<number> {
    if (!this.sock) return this.hostBind(this.anyAddress()).then(then);
    return this.binding ? this.binding.then(then) : then();
  }

  /**
   * A datagram's address (udp_sendmsg, udpv6_sendmsg, ip6_datagram_connect): an AF_INET socket takes AF_UNSPEC
   * as AF_INET; an AF_INET6 one takes an AF_INET address as its v4-mapped form (`v6only` errno when IPV6_V6ONLY),
   * AF_UNSPEC as none (null), and refuses other families with EINVAL.
   */
  private destination(raw: Uint8Array, v6only: number): InetAddress | null {
    const fam = familyOf(raw);
    if (this.domain === AF_INET) return parseInet(fam === AF_UNSPEC ? withFamily(raw, AF_INET) : raw, AF_INET);
    if (raw.length < 2) throw err(E.EINVAL);
    if (fam === AF_UNSPEC) return null;
    if (fam === AF_INET) {
      if (this.opts.v6only) throw err(v6only);
      const a = parseInet(raw, AF_INET);
      return { host: `::ffff:${a.host}`, port: a.port };
    }
    if (fam !== AF_INET6) throw err(E.EINVAL);
    return this.address(raw);
  }

  listen(): number { throw err(E.EOPNOTSUPP); }
  accept(): InetSocket { throw err(E.EOPNOTSUPP); }

  /** udp connect (ip4_datagram_connect): the default destination; AF_UNSPEC dissolves it. */
  connect(raw: Uint8Array): number | Promise<number> {
    if (familyOf(raw) === AF_UNSPEC && raw.length >= 2) {
      if (this.peer) this.sock?.disconnect();
      this.peer = null;
      return 0;
    }
    const a = this.destination(raw, E.EAFNOSUPPORT);
    if (!a) return 0;
    return this.ready(() => new Promise<number>((resolve, reject) => {
      const s = this.sock!;
      if (this.peer) s.disconnect();
      this.peer = null;
      try {
        s.connect(a.port, a.host, (e?: Error) => {
          if (e) { reject(err(hostErrno(e))); return; }
          this.peer = a;
          resolve(0);
        });
      } catch { reject(err(E.EINVAL, 'UDP connect to port 0 is not provided')); }
    }));
  }

  send(data: Uint8Array, flags: number, to: Uint8Array | null): number | Promise<number> {
    if (flags & MSG_OOB) throw err(E.EOPNOTSUPP);
    const dest = (to && to.length > 0 ? this.destination(to, E.ENETUNREACH) : null) ?? this.peer;
    if (!dest) throw err(E.EDESTADDRREQ);
    if (this.shut & SEND) throw err(E.EPIPE);
    if (dest.port === 0) throw err(E.EINVAL);
    if (data.length > maxPayload(this.domain)) throw err(E.EMSGSIZE);
    // a connected host socket takes no address: one that names the peer is the peer, another one is refused
    const viaPeer = this.peer !== null;
    if (viaPeer && dest !== this.peer && (dest.host !== this.peer!.host || dest.port !== this.peer!.port)) {
      throw err(E.EISCONN, 'sendto another address on a connected UDP socket is not provided');
    }
    const copy = Buffer.from(data);
    const attempt = (): number | null => {
      const e = this.takeError();
      if (e) throw err(e);
      if (this.inflight > 0 && this.inflight + copy.length > this.opts.sndBuf) {
        if (this.nonblocking || flags & MSG_DONTWAIT) throw err(E.EAGAIN);
        return null;
      }
      this.inflight += copy.length;
      const sent = (e: Error | null): void => {
        this.inflight -= copy.length;
        if (e) this.fail(hostErrno(e));
        this.queue.notify();
      };
      if (viaPeer) this.sock!.send(copy, sent); else this.sock!.send(copy, dest.port, dest.host, sent);
      return copy.length;
    };
    return this.ready(() => waitOn([this.queue], attempt, sockWait(this.opts.sndTimeo, () => 0)));
  }

  receive(bufs: Uint8Array[], flags: number, got: InetReceived | null): number | Promise<number> {
    noErrQueue(flags);
    if (flags & MSG_OOB) throw err(E.EINVAL);
    const cap = bufs.reduce((n, b) => n + b.length, 0);
    let waited = false; // after SHUT_RD a read that would wait ends at once with 0 (__skb_wait_for_more_packets)
    const attempt = (): number | null => {
      const d = this.inbox[0];
      if (!d) {
        const e = this.takeError();
        if (e) throw err(e);
        return waited && this.shut & RCV ? 0 : null;
      }
      const k = Math.min(cap, d.data.length);
      scatter(bufs, 0, d.data.subarray(0, k));
      if (got) { got.from = this.encode(d.host, d.port); got.truncated = d.data.length > cap; }
      if (!(flags & MSG_PEEK)) { this.inbox.shift(); this.inboxBytes -= d.data.length; }
      return flags & MSG_TRUNC ? d.data.length : k;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking || flags & MSG_DONTWAIT) throw err(E.EAGAIN);
    waited = true;
    return waitOn([this.queue], attempt, sockWait(this.opts.rcvTimeo, () => 0));
  }

  /** inet_shutdown: the bits are set either way; ENOTCONN without a peer. */
  shutdown(how: number): void {
    this.shut |= how + 1;
    this.queue.notify();
    if (!this.peer) throw err(E.ENOTCONN);
  }

  sockName(peer: boolean): Uint8Array {
    if (peer) {
      if (!this.peer) throw err(E.ENOTCONN);
      return this.encode(this.peer.host, this.peer.port);
    }
    const a = this.sock && !this.binding ? this.sock.address() : null;
    return a ? this.encode(a.address, a.port) : this.encode(this.anyAddress().host, 0);
  }

  /**
   * The row udp4_format_sock prints for a bound socket: TCP_ESTABLISHED (1) once connected, else TCP_CLOSE (7); the
   * queues count payload bytes (Linux counts the buffers' truesize, which pbash does not have).
   */
  procRows(): InetRow[] {
    const a = this.sock && !this.binding ? this.sock.address() : null;
    if (!a) return [];
    return [{ state: this.peer ? 1 : 7, local: { host: a.address, port: a.port }, remote: this.peer, tx: this.inflight, rx: this.inboxBytes }];
  }

  /** datagram_poll. */
  override pollMask(): number {
    let m = this.pendingError ? POLL.ERR : 0;
    if (this.shut === (RCV | SEND)) m |= POLL.HUP;
    if (this.shut & RCV) m |= POLL.IN | POLL.RDNORM | POLL.RDHUP;
    if (this.inbox.length > 0) m |= POLL.IN | POLL.RDNORM;
    if (this.inflight < this.opts.sndBuf) m |= POLL.OUT | POLL.WRNORM | POLL.WRBAND;
    return m;
  }

  protected override release(): void {
    this.inbox.length = 0;
    this.inboxBytes = 0;
    try { this.sock?.close(); } catch { /* closed already */ }
    this.sock = null;
  }
}
