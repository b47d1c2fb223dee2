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
  const f = t.files.get(fd);
  if (!(f instanceof UnixSocket)) throw err(E.ENOTSOCK);
  if (len < 0 || len > SOCKADDR_MAX) throw err(E.EINVAL);
  return f.connect(t, t.mem.read(addr, len));
}

export const socketSyscalls: SyscallDef[] = [
  partial(41, 'socket', ['int', 'int', 'int'], 'AF_UNIX only (other families EAFNOSUPPORT with a diagnostic)', socket),
  partial(42, 'connect', ['fd', 'ptr', 'int'], 'AF_UNIX: no socket can listen yet, so ENOENT or ECONNREFUSED', connect),
];
