// What AF_INET and AF_INET6 sockets share (ip(7), ipv6(7)): the guest-side object over a host socket from
// Node's net (tcp-socket.ts) or dgram (udp-socket.ts), its options, its pending error (sk_err), its wait queue.
// The guest fd is ours; the host socket is an implementation detail it never sees.
import { E, err } from '../kernel/errno.js';
import { O, S_IFSOCK } from '../fs/constants.js';
import { OpenFile } from '../fs/file.js';
import { type Stat, synthStat } from '../fs/stat.js';
import { WaitQueue } from '../kernel/wait-queue.js';
import { AF_INET, type InetAddress, anyHost, encodeInet, parseInet } from './inet-address.js';

export const IPPROTO_TCP = 6, IPPROTO_UDP = 17;
const MSG_ERRQUEUE = 0x2000;

/** recvmsg(MSG_ERRQUEUE) (ip_recv_error): no error queue is kept, so it is always empty: EAGAIN. */
export function noErrQueue(flags: number): void { if (flags & MSG_ERRQUEUE) throw err(E.EAGAIN); }
const SOCKFS_DEV = 0x08;
let nextIno = 40000;

/**
 * What /proc/net/tcp, udp and their IPv6 twins list of a socket: its sk_state (TCP_ESTABLISHED 1 ... TCP_LISTEN 10),
 * its ends (remote null: the wildcard) and its queues in bytes.
 */
export interface InetRow {
  state: number; local: InetAddress; remote: InetAddress | null; tx: number; rx: number;
  /** A connection waiting in this listener's accept queue (its host socket): no socket (inode 0) of its own yet. */
  embryo?: object;
}

/** What a receive reports besides its bytes: the sender's sockaddr and whether a datagram was cut short. */
export interface InetReceived { from: Uint8Array | null; truncated: boolean; }

/** Host error codes (Node's err.code) as Linux errnos; one a socket cannot meet becomes ECONNRESET, never a throw. */
export function hostErrno(e: unknown): number {
  const code = (e as NodeJS.ErrnoException | null)?.code ?? '';
  return code in E ? E[code as keyof typeof E] : E.ECONNRESET;
}

/** The options every inet socket keeps (sock.h's sk fields set by setsockopt); see inet-options.ts. */
export class InetOptions {
  reuseAddr = false;
  keepAlive = false;
  noDelay = false;
  broadcast = false;
  v6only = false;
  recvErr = false;
  /** SO_LINGER: null when off, else the seconds (0: close resets the connection). */
  linger: number | null = null;
  rcvTimeo = Infinity;
  sndTimeo = Infinity;
  constructor(public rcvBuf: number, public sndBuf: number) {}
}

export abstract class InetSocket extends OpenFile {
  private readonly ino = nextIno++;
  readonly queue = new WaitQueue();
  /** sk_shutdown bits: RCV 1, SEND 2 (shutdown(2) how + 1). */
  shut = 0;
  /** sk_err: reported once, by SO_ERROR or the next call that checks it. */
  protected pendingError = 0;
  /** The socket inode's owner (sock_alloc: the creating task's fsuid), shown by /proc/net listings. */
  uid = 0;

  constructor(readonly domain: number, readonly type: number, readonly protocol: number, readonly opts: InetOptions, flags: number) {
    super(O.RDWR | (flags & O.NONBLOCK));
  }

  override get stream(): boolean { return true; }
  stat(): Stat { return synthStat(SOCKFS_DEV, this.ino, S_IFSOCK | 0o777); }
  override anonName(): string { return `socket:[${this.ino}]`; }
  override get pollQueue(): WaitQueue { return this.queue; }
  get listening(): boolean { return false; }
  get inode(): number { return this.ino; }
  /** Has a local address (bound explicitly, or by connect/listen/sendto). */
  abstract get bound(): boolean;

  /** sock_error: the pending error, cleared. */
  takeError(): number { const e = this.pendingError; this.pendingError = 0; return e; }
  protected fail(errno: number): void { this.pendingError = errno; this.queue.notify(); }

  /** The address a bind/connect/sendto names, for this socket's family (see inet-address.ts). */
  address(raw: Uint8Array, forBind = false): InetAddress {
    const a = parseInet(raw, this.domain, forBind);
    if (this.domain !== AF_INET && this.opts.v6only && a.host.startsWith('::ffff:')) throw err(forBind ? E.EINVAL : E.ENETUNREACH);
    return a;
  }
  /** The wildcard (port 0) an implicit bind uses (inet_autobind). */
  protected anyAddress(): InetAddress { return { host: anyHost(this.domain), port: 0 }; }
  protected encode(host: string, port: number): Uint8Array { return encodeInet(this.domain, host, port); }

  abstract bind(raw: Uint8Array): number | Promise<number>;
  abstract listen(backlog: number): number | Promise<number>;
  abstract accept(): InetSocket | Promise<InetSocket>;
  abstract connect(raw: Uint8Array): number | Promise<number>;
  abstract send(data: Uint8Array, flags: number, to: Uint8Array | null): number | Promise<number>;
  abstract receive(bufs: Uint8Array[], flags: number, got: InetReceived | null): number | Promise<number>;
  abstract shutdown(how: number): void;
  /** getsockname (peer false) / getpeername (true). */
  abstract sockName(peer: boolean): Uint8Array;
  /** This socket's /proc/net rows: none when Linux lists none (not hashed: unbound, or a closed connection). */
  abstract procRows(): InetRow[];
  /** A changed option that the host socket carries (SO_KEEPALIVE, TCP_NODELAY, SO_BROADCAST). */
  applyOptions(): void {}

  override read(buf: Uint8Array): number | Promise<number> { return this.receive([buf], 0, null); }
  override write(buf: Uint8Array): number | Promise<number> { return this.send(buf, 0, null); }
}
