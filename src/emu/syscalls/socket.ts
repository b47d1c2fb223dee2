// Sockets: creation, names and connections (socket, socketpair, bind, listen, accept, connect, getsockname,
// getpeername, shutdown). AF_UNIX only; the mechanism is in net/ (unix-socket.ts, unix-connect.ts, unix-names.ts).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { O } from '../fs/constants.js';
import { AF_UNIX, SOCK, UnixSocket, socketPair } from '../net/unix-socket.js';
import { accept, bind, connect, listen, sockName } from '../net/unix-connect.js';
import { sock, sockaddrIn, sockaddrOut } from './socket-util.js';
import { partial, sys, type SyscallDef, type SyscallResult } from './types.js';

const reported = new Set<number>();
/** net.core.somaxconn: listen's backlog is capped there (a negative one, as unsigned, too). */
const SOMAXCONN = 4096;

/** The socket type of socket/socketpair, or the errno Linux gives for the domain, type, protocol. */
function socketType(t: Task, domain: number, type: number, protocol: number): number {
  const kind = type & SOCK.TYPE_MASK;
  if (type & ~(SOCK.TYPE_MASK | SOCK.NONBLOCK | SOCK.CLOEXEC)) throw err(E.EINVAL);
  if (domain !== AF_UNIX) {
    if (!reported.has(domain)) {
      reported.add(domain);
      t.kernel.log(`pbash: socket family ${domain} is not provided yet (only AF_UNIX) -> EAFNOSUPPORT`);
    }
    throw err(E.EAFNOSUPPORT);
  }
  if (kind !== SOCK.STREAM && kind !== SOCK.DGRAM && kind !== SOCK.SEQPACKET) throw err(E.ESOCKTNOSUPPORT);
  if (protocol !== 0) throw err(E.EPROTONOSUPPORT);
  return kind;
}

function socket(t: Task, domain: number, type: number, protocol: number): number {
  const kind = socketType(t, domain, type, protocol);
  return t.files.install(() => new UnixSocket(kind, type), (type & SOCK.CLOEXEC) !== 0);
}

function socketpair(t: Task, domain: number, type: number, protocol: number, sv: number): number {
  const kind = socketType(t, domain, type, protocol);
  t.mem.slices(sv, 8, true);
  const [a, b] = socketPair(kind, type, { pid: t.process.pid, uid: t.creds.euid, gid: t.creds.egid });
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
  const finish = (c: UnixSocket): number => {
    if (flags & SOCK.NONBLOCK) c.setStatusFlags(c.flags | O.NONBLOCK);
    try {
      if (addr) sockaddrOut(t, addr, lenp, sockName(c, true));
    } catch (e) { c.teardown(false); throw e; }
    return t.files.install(c, (flags & SOCK.CLOEXEC) !== 0);
  };
  const r = accept(s);
  return r instanceof UnixSocket ? finish(r) : r.then(finish);
}

const ok = (_done: unknown): number => 0;

export const socketSyscalls: SyscallDef[] = [
  partial(41, 'socket', ['int', 'int', 'int'], 'AF_UNIX only (other families EAFNOSUPPORT with a diagnostic)', socket),
  partial(53, 'socketpair', ['int', 'int', 'int', 'ptr'], 'AF_UNIX only', socketpair),
  // bind(2): a path (a socket inode is created), an abstract name, or autobind when only the family is given
  partial(49, 'bind', ['fd', 'ptr', 'int'], 'AF_UNIX; a path is reachable by guest processes only (host programs get ECONNREFUSED)', (t, fd, addr, len) => {
    const s = sock(t, fd);
    return ok(bind(t, s, sockaddrIn(t, addr, len)));
  }),
  // listen(2)
  sys(50, 'listen', ['fd', 'int'], (t, fd, backlog) => ok(listen(t, sock(t, fd), backlog >>> 0 > SOMAXCONN ? SOMAXCONN : backlog))),
  // accept(2)
  sys(43, 'accept', ['fd', 'ptr', 'ptr'], (t, fd, addr, lenp) => accept4(t, fd, addr, lenp, 0)),
  // accept4(2): SOCK_NONBLOCK, SOCK_CLOEXEC
  sys(288, 'accept4', ['fd', 'ptr', 'ptr', 'flags'], accept4),
  // connect(2): streams and seqpackets to a listener (blocking while its backlog is full), datagrams set their peer
  partial(42, 'connect', ['fd', 'ptr', 'int'], 'AF_UNIX, to guest sockets only (a host program\'s socket path: ECONNREFUSED)', (t, fd, addr, len) => {
    const s = sock(t, fd);
    return connect(t, s, sockaddrIn(t, addr, len));
  }),
  // getsockname(2)
  sys(51, 'getsockname', ['fd', 'ptr', 'ptr'], (t, fd, addr, lenp) => ok(sockaddrOut(t, addr, lenp, sockName(sock(t, fd), false)))),
  // getpeername(2): ENOTCONN without a peer
  sys(52, 'getpeername', ['fd', 'ptr', 'ptr'], (t, fd, addr, lenp) => ok(sockaddrOut(t, addr, lenp, sockName(sock(t, fd), true)))),
  // shutdown(2)
  sys(48, 'shutdown', ['fd', 'int'], (t, fd, how) => {
    const s = sock(t, fd);
    if (how < 0 || how > 2) throw err(E.EINVAL);
    return ok(s.shutdown(how));
  }),
];
