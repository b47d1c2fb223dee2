// AF_NETLINK sockets of the NETLINK_ROUTE and NETLINK_AUDIT protocols (netlink(7)): requests sent to the kernel
// (port 0) are answered at once, from the host's interfaces (rtnetlink.ts) or by logging user audit records
// (audit-netlink.ts), and queued as datagrams for recvmsg. A socket has a
// port id, the process's pid for its first socket (netlink_autobind), chosen at bind or first send. Multicast
// groups may be joined but no notification is ever sent (the host's changes are not watched). It shares the
// datagram calls' shape (and socket options) with the inet sockets.
import { E, err } from '../kernel/errno.js';
import { POLL } from '../fs/file.js';
import { waitOn } from '../kernel/wait-queue.js';
import { InetOptions, type InetReceived, InetSocket } from './inet-socket.js';
import { MSG_DONTWAIT, MSG_PEEK, MSG_TRUNC, scatter, sockWait } from './unix-socket.js';
import { familyOf } from './inet-address.js';
import { rtnetlinkReply } from './rtnetlink.js';
import { type AuditSender, NETLINK_AUDIT, auditReply } from './audit-netlink.js';

export const AF_NETLINK = 16, NETLINK_ROUTE = 0;
const SOCK_DGRAM = 2, SOCK_RAW = 3;
const SOCKADDR_NL = 12;
/** net.core.rmem_default / wmem_default. */
const NETLINK_BUF = 212992;

/** Port ids in use (netlink's per-protocol table), and the next negative one handed out when a pid is taken. */
const ports = new Set<number>();
let rover = -4096;

/** sockaddr_nl: { nl_family, nl_pad, nl_pid, nl_groups }. */
function encodeNl(pid: number, groups: number): Uint8Array {
  const b = new Uint8Array(SOCKADDR_NL);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, AF_NETLINK, true);
  dv.setUint32(4, pid >>> 0, true);
  dv.setUint32(8, groups >>> 0, true);
  return b;
}

function parseNl(raw: Uint8Array): { pid: number; groups: number } {
  if (raw.length < SOCKADDR_NL || familyOf(raw) !== AF_NETLINK) throw err(E.EINVAL);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return { pid: dv.getInt32(4, true), groups: dv.getUint32(8, true) };
}

/** Who opened the socket: its pid, CAP_NET_ADMIN (route changes) and what audit records carry. */
export interface NetlinkOwner extends AuditSender { privileged: boolean; }

/** socket(AF_NETLINK, type, protocol): raw or datagram, NETLINK_ROUTE or NETLINK_AUDIT. */
export function createNetlink(kind: number, protocol: number, flags: number, owner: NetlinkOwner, note: (m: string) => void): NetlinkSocket {
  if (kind !== SOCK_RAW && kind !== SOCK_DGRAM) throw err(E.ESOCKTNOSUPPORT);
  if (protocol !== NETLINK_ROUTE && protocol !== NETLINK_AUDIT) {
    note(`pbash: netlink protocol ${protocol} is not provided (NETLINK_ROUTE and NETLINK_AUDIT only) -> EPROTONOSUPPORT`);
    throw err(E.EPROTONOSUPPORT);
  }
  return new NetlinkSocket(kind, protocol, flags, owner, note);
}

export class NetlinkSocket extends InetSocket {
  private port = 0;
  private groups = 0;
  private readonly inbox: Uint8Array[] = [];

  constructor(kind: number, protocol: number, flags: number, private readonly owner: NetlinkOwner,
    private readonly note: (m: string) => void) {
    super(AF_NETLINK, kind, protocol, new InetOptions(NETLINK_BUF, NETLINK_BUF), flags);
  }

  get bound(): boolean { return this.port !== 0; }

  /** netlink_autobind: the process's pid if free, else a negative id. */
  private autobind(): void {
    if (this.port) return;
    let id = this.owner.pid;
    while (ports.has(id)) id = rover--;
    ports.add(this.port = id);
  }

  bind(raw: Uint8Array): number {
    const a = parseNl(raw);
    if (this.port && a.pid && a.pid !== this.port) throw err(E.EINVAL);
    if (!this.port) {
      if (a.pid && ports.has(a.pid)) throw err(E.EADDRINUSE);
      if (a.pid) ports.add(this.port = a.pid); else this.autobind();
    }
    this.groups = a.groups;
    return 0;
  }

  /** Listed in /proc/net/netlink, never among the inet sockets. */
  procRows(): [] { return []; }
  listen(): number { throw err(E.EOPNOTSUPP); }
  accept(): InetSocket { throw err(E.EOPNOTSUPP); }
  shutdown(): void { throw err(E.EOPNOTSUPP); }

  /** Only the kernel (port 0) is a peer here: no other process's socket is reachable. */
  connect(raw: Uint8Array): number {
    if (raw.length >= 2 && familyOf(raw) === 0) return 0; // AF_UNSPEC: disconnect
    if (parseNl(raw).pid !== 0) throw err(E.ECONNREFUSED);
    this.autobind();
    return 0;
  }

  send(data: Uint8Array, _flags: number, to: Uint8Array | null): number {
    if (to && parseNl(to).pid !== 0) throw err(E.ECONNREFUSED);
    if (data.length > this.opts.sndBuf) throw err(E.EMSGSIZE);
    this.autobind();
    this.deliver(...(this.protocol === NETLINK_AUDIT
      ? auditReply(data, this.port, this.owner, this.note)
      : rtnetlinkReply(data, this.port, this.owner.privileged, this.note)));
    return data.length;
  }

  receive(bufs: Uint8Array[], flags: number, got: InetReceived | null): number | Promise<number> {
    const cap = bufs.reduce((n, b) => n + b.length, 0);
    const attempt = (): number | null => {
      const d = this.inbox[0];
      if (!d) return null;
      const k = Math.min(cap, d.length);
      scatter(bufs, 0, d.subarray(0, k));
      if (got) { got.from = encodeNl(0, 0); got.truncated = d.length > cap; }
      if (!(flags & MSG_PEEK)) this.inbox.shift();
      return flags & MSG_TRUNC ? d.length : k;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking || flags & MSG_DONTWAIT) throw err(E.EAGAIN);
    return waitOn([this.queue], attempt, sockWait(this.opts.rcvTimeo, () => 0));
  }

  /** Datagrams from the kernel: replies to a request, or mq_notify's SIGEV_THREAD cookie. */
  deliver(...msgs: Uint8Array[]): void {
    if (!msgs.length) return;
    this.inbox.push(...msgs);
    this.queue.notify();
  }

  /** getsockname: our port and groups; getpeername: the kernel. */
  sockName(peer: boolean): Uint8Array { return peer ? encodeNl(0, 0) : encodeNl(this.port, this.groups); }

  override pollMask(): number {
    return POLL.OUT | POLL.WRNORM | (this.inbox.length ? POLL.IN | POLL.RDNORM : 0);
  }

  protected override release(): void {
    if (this.port) ports.delete(this.port);
    this.inbox.length = 0;
  }
}
