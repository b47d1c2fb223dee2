// Sockets: creation, names and connections (socket, socketpair, bind, listen, accept, connect, getsockname,
// getpeername, shutdown). AF_UNIX (net/unix-*.ts) and AF_INET/AF_INET6 over host sockets (net/inet-*.ts,
// tcp-*.ts, udp-socket.ts); the handlers pick the family's mechanism.
import type { KProcess } from '../kernel/process.js';
import { CAP, capable } from '../kernel/capability.js';
import { KERN } from '../kernel/kmsg.js';
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { O } from '../fs/constants.js';
import { AF_UNIX, SOCK, UnixSocket, socketPair } from '../net/unix-socket.js';
import { accept, bind, connect, listen, sockName } from '../net/unix-connect.js';
import { AF_INET, AF_INET6 } from '../net/inet-address.js';
import { createInet } from '../net/inet-create.js';
import { InetSocket } from '../net/inet-socket.js';
import { AF_NETLINK, createNetlink } from '../net/netlink-socket.js';
import { noteOnce, sock, sockaddrIn, sockaddrOut } from './socket-util.js';
import { hostSocket, hostSocketName } from '../net/host-socket.js';
import { partial, sys, type SyscallDef, type SyscallResult } from './types.js';

/** net.core.somaxconn: listen's backlog is capped there (a negative one, as unsigned, too). */
const SOMAXCONN = 4096;
const isInet = (domain: number): boolean => domain === AF_INET || domain === AF_INET6;

/** The AF_UNIX socket type of socket/socketpair, or the errno Linux gives for the domain, type, protocol. */
function socketType(t: Task, domain: number, type: number, protocol: number): number {
  const kind = type & SOCK.TYPE_MASK;
  if (type & ~(SOCK.TYPE_MASK | SOCK.NONBLOCK | SOCK.CLOEXEC)) throw err(E.EINVAL);
  if (domain !== AF_UNIX) {
    noteOnce(t)(`pbash: socket family ${domain} is not provided yet (AF_UNIX, AF_INET, AF_INET6, AF_NETLINK only) -> EAFNOSUPPORT`);
    throw err(E.EAFNOSUPPORT);
  }
  if (kind !== SOCK.STREAM && kind !== SOCK.DGRAM && kind !== SOCK.SEQPACKET) throw err(E.ESOCKTNOSUPPORT);
  if (protocol !== 0) throw err(E.EPROTONOSUPPORT);
  return kind;
}

function socket(t: Task, domain: number, type: number, protocol: number): number {
  if (type & ~(SOCK.TYPE_MASK | SOCK.NONBLOCK | SOCK.CLOEXEC)) throw err(E.EINVAL);
  const cloexec = (type & SOCK.CLOEXEC) !== 0;
  if (isInet(domain)) {
    return t.files.install(() => {
      const s = createInet(domain, type & SOCK.TYPE_MASK, protocol, type, capable(t.creds, CAP.NET_RAW), noteOnce(t));
      s.uid = t.creds.fsuid;
      return t.kernel.inetSockets.add(s);
    }, cloexec);
  }
  if (domain === AF_NETLINK) {
    const owner = {
      pid: t.process.pid, uid: t.creds.uid, auid: () => (t.process as KProcess).loginuid, ses: () => (t.process as KProcess).sessionid, privileged: capable(t.creds, CAP.NET_ADMIN), mayWrite: capable(t.creds, CAP.AUDIT_WRITE),
      printk: (line: string) => t.kernel.kmsg.printk(KERN.NOTICE, line),
    };
    return t.files.install(() => createNetlink(type & SOCK.TYPE_MASK, protocol, type, owner, noteOnce(t)), cloexec);
  }
  const kind = socketType(t, domain, type, protocol);
  return t.files.install(() => t.kernel.unixSockets.add(new UnixSocket(kind, type)), cloexec);
}

function socketpair(t: Task, domain: number, type: number, protocol: number, sv: number): number {
  if (isInet(domain) || domain === AF_NETLINK) throw err(E.EOPNOTSUPP); // no socketpair (sock_no_socketpair)
  const kind = socketType(t, domain, type, protocol);
  t.mem.slices(sv, 8, true);
  const [a, b] = socketPair(kind, type, { pid: t.process.pid, uid: t.creds.euid, gid: t.creds.egid });
  t.kernel.unixSockets.add(a);
  t.kernel.unixSockets.add(b);
  const [fa, fb] = t.files.installPair(a, b, (type & SOCK.CLOEXEC) !== 0);
  t.mem.writeI32(sv, fa);
  t.mem.writeI32(sv + 4, fb);
  return 0;
}

/** accept4(2): the new connection's fd (the flags apply to it), the peer's address into addr. */
function accept4(t: Task, fd: number, addr: number, lenp: number, flags: number): SyscallResult {
  if (flags & ~(SOCK.NONBLOCK | SOCK.CLOEXEC)) throw err(E.EINVAL);
  const s = sock(t, fd);
  t.files.lowestFree(); // EMFILE before waiting, as get_unused_fd_flags
  const finish = (c: UnixSocket | InetSocket): number => {
    if (flags & SOCK.NONBLOCK) c.setStatusFlags(c.flags | O.NONBLOCK);
    try {
      if (addr) sockaddrOut(t, addr, lenp, c instanceof InetSocket ? c.sockName(true) : sockName(c, true));
    } catch (e) {
      if (c instanceof InetSocket) c.ref().unref(); else c.teardown(false);
      throw e;
    }
    if (c instanceof InetSocket) { c.uid = t.creds.fsuid; t.kernel.inetSockets.add(c); } // (a unix one is listed from connect on)
    return t.files.install(c, (flags & SOCK.CLOEXEC) !== 0);
  };
  const r = s instanceof InetSocket ? s.accept() : accept(s);
  return r instanceof Promise ? r.then(finish) : finish(r);
}

/** The address of the socket at fd or of its peer, from its family (a host socket's from the host). */
function nameOf(t: Task, fd: number, peer: boolean): Uint8Array {
  const h = hostSocket(t.files.get(fd));
  if (h) return hostSocketName(h, peer);
  const s = sock(t, fd);
  return s instanceof InetSocket ? s.sockName(peer) : sockName(s, peer);
}

const ok = (_done: unknown): SyscallResult => 0;
/** A call that may wait (a host bind or connect) yields 0 when it is done. */
const okAsync = (r: number | Promise<number>): SyscallResult => (typeof r === 'number' ? 0 : r.then(() => 0));

export const socketSyscalls: SyscallDef[] = [
  partial(41, 'socket', ['int', 'int', 'int'], 'AF_UNIX, AF_INET, AF_INET6 (TCP and UDP; raw, ping, SCTP sockets EPROTONOSUPPORT with a diagnostic), AF_NETLINK NETLINK_ROUTE (links and addresses, read-only) and NETLINK_AUDIT (user records); other families EAFNOSUPPORT', socket),
  partial(53, 'socketpair', ['int', 'int', 'int', 'ptr'], 'AF_UNIX only (AF_INET/AF_INET6: EOPNOTSUPP, as Linux)', socketpair),
  // bind(2): AF_UNIX a path (a socket inode is created), an abstract name, or autobind; inet an address and port
  partial(49, 'bind', ['fd', 'ptr', 'int'], 'AF_UNIX: a path is reachable by guest processes only; TCP: the host socket listens from bind on (connections before listen(2) are reset), SO_REUSEADDR is always on', (t, fd, addr, len) => {
    const s = sock(t, fd);
    const raw = sockaddrIn(t, addr, len);
    return s instanceof InetSocket ? okAsync(s.bind(raw)) : ok(bind(t, s, raw));
  }),
  // listen(2)
  partial(50, 'listen', ['fd', 'int'], 'TCP: the backlog is not enforced (connections beyond it wait, paused, instead of being left unanswered)', (t, fd, backlog) => {
    const s = sock(t, fd);
    const b = backlog >>> 0 > SOMAXCONN ? SOMAXCONN : backlog;
    return s instanceof InetSocket ? okAsync(s.listen(b)) : ok(listen(t, s, b));
  }),
  // accept(2)
  sys(43, 'accept', ['fd', 'ptr', 'ptr'], (t, fd, addr, lenp) => accept4(t, fd, addr, lenp, 0)),
  // accept4(2): SOCK_NONBLOCK, SOCK_CLOEXEC
  sys(288, 'accept4', ['fd', 'ptr', 'ptr', 'flags'], accept4),
  // connect(2): AF_UNIX streams to a listener, datagrams set their peer; TCP connects (EINPROGRESS when non-blocking), UDP sets its peer
  partial(42, 'connect', ['fd', 'ptr', 'int'], 'AF_UNIX: to guest sockets only (a host program\'s socket path: ECONNREFUSED); inet: see docs/networking.md (a connected UDP socket cannot sendto another address)', (t, fd, addr, len) => {
    const s = sock(t, fd);
    const raw = sockaddrIn(t, addr, len);
    return s instanceof InetSocket ? s.connect(raw) : connect(t, s, raw);
  }),
  // getsockname(2)
  sys(51, 'getsockname', ['fd', 'ptr', 'ptr'], (t, fd, addr, lenp) => ok(sockaddrOut(t, addr, lenp, nameOf(t, fd, false)))),
  // getpeername(2): ENOTCONN without a peer
  sys(52, 'getpeername', ['fd', 'ptr', 'ptr'], (t, fd, addr, lenp) => ok(sockaddrOut(t, addr, lenp, nameOf(t, fd, true)))),
  // shutdown(2)
  sys(48, 'shutdown', ['fd', 'int'], (t, fd, how) => {
    const s = sock(t, fd);
    if (how < 0 || how > 2) throw err(E.EINVAL);
    return ok(s.shutdown(how));
  }),
];
