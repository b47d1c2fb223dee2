// What the socket calls share: the socket behind an fd, and socket addresses in and out of guest memory.
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { UnixSocket } from '../net/unix-socket.js';
import { InetSocket } from '../net/inet-socket.js';
import { hostSocket } from '../net/host-socket.js';

/** sizeof(struct sockaddr_storage): the most any address may be. */
const SOCKADDR_MAX = 128;

/**
 * The socket open at fd: EBADF for no file, ENOTSOCK for another kind of file. A host socket (a session's
 * standard stream) answers only its names and options (net/host-socket.ts): other calls EOPNOTSUPP.
 */
export function sock(t: Task, fd: number): UnixSocket | InetSocket {
  const f = t.files.get(fd);
  if (f instanceof UnixSocket || f instanceof InetSocket) return f;
  if (hostSocket(f)) {
    noteOnce(t)('pbash: a host socket given as a standard stream supports read, write, poll, getsockname, getpeername and getsockopt only -> EOPNOTSUPP');
    throw err(E.EOPNOTSUPP);
  }
  throw err(E.ENOTSOCK);
}

const reported = new Set<string>();
/** A diagnostic line, once per text per daemon (what is not provided, and the errno given instead). */
export const noteOnce = (t: Task) => (m: string): void => {
  if (reported.has(m)) return;
  reported.add(m);
  t.kernel.log(m);
};

/** move_addr_to_kernel: an address the caller gives (EINVAL for a negative or oversized length). */
export function sockaddrIn(t: Task, addr: number, len: number): Uint8Array {
  if (len < 0 || len > SOCKADDR_MAX) throw err(E.EINVAL);
  return len === 0 ? new Uint8Array(0) : t.mem.read(addr, len);
}

/** move_addr_to_user: as much of `name` as *lenp allows, and its full length back in *lenp. */
export function sockaddrOut(t: Task, addr: number, lenp: number, name: Uint8Array): void {
  const room = t.mem.readI32(lenp);
  if (room < 0) throw err(E.EINVAL);
  const n = Math.min(room, name.length);
  if (n > 0) t.mem.write(addr, name.subarray(0, n));
  t.mem.writeI32(lenp, name.length);
}
