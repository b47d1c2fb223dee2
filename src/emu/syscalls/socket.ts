// Sockets: socket(2) and connect(2) for AF_UNIX (see net/unix-socket.ts for what exists so far).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { AF_UNIX, SOCK, UnixSocket } from '../net/unix-socket.js';
import { partial, type SyscallDef } from './types.js';

const reported = new Set<number>();
const SOCKADDR_MAX = 128;

function socket(t: Task, domain: number, type: number, protocol: number): number {
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
  return t.files.install(() => new UnixSocket(kind, type), (type & SOCK.CLOEXEC) !== 0);
}

function connect(t: Task, fd: number, addr: number, len: number): number {
  const f = sock(t, fd);
  if (len < 0 || len > SOCKADDR_MAX) throw err(E.EINVAL);
  return f.connect(t, t.mem.read(addr, len));
}

function sock(t: Task, fd: number): UnixSocket {
  const f = t.files.get(fd);
  if (!(f instanceof UnixSocket)) throw err(E.ENOTSOCK);
  return f;
}

/** getsockname(2): an unbound AF_UNIX socket's address is just the family (addrlen 2). */
function getsockname(t: Task, fd: number, addr: number, lenp: number): number {
  sock(t, fd);
  const room = t.mem.readI32(lenp);
  if (room < 0) throw err(E.EINVAL);
  const name = Uint8Array.of(AF_UNIX, 0);
  t.mem.write(addr, name.subarray(0, Math.min(room, name.length)));
  t.mem.writeI32(lenp, name.length);
  return 0;
}

export const socketSyscalls: SyscallDef[] = [
  partial(41, 'socket', ['int', 'int', 'int'], 'AF_UNIX only (other families EAFNOSUPPORT with a diagnostic)', socket),
  partial(51, 'getsockname', ['fd', 'ptr', 'ptr'], 'AF_UNIX sockets are never bound yet', getsockname),
  // getpeername(2): no socket is ever connected yet (bash asks it of stdin to spot rsh)
  partial(52, 'getpeername', ['fd', 'ptr', 'ptr'], 'no socket is connected yet: ENOTCONN', (t, fd) => { sock(t, fd); throw err(E.ENOTCONN); }),
  partial(48, 'shutdown', ['fd', 'int'], 'no socket is connected yet: ENOTCONN', (t, fd, how) => {
    sock(t, fd);
    if (how < 0 || how > 2) throw err(E.EINVAL);
    throw err(E.ENOTCONN);
  }),
  partial(42, 'connect', ['fd', 'ptr', 'int'], 'AF_UNIX: no socket can listen yet, so ENOENT or ECONNREFUSED', connect),
];
