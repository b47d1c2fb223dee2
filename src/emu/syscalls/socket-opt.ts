// Socket options: getsockopt and setsockopt at SOL_SOCKET for AF_UNIX sockets; AF_INET/AF_INET6 options are
// kept by net/inet-options.ts (SO_RCVTIMEO/SO_SNDTIMEO for every family here).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { AF_UNIX, SOCKET_BUFFER } from '../net/unix-socket.js';
import { struct } from './abi.js';
import { noteOnce, sock } from './socket-util.js';
import { hostSocket, hostSocketOption } from '../net/host-socket.js';
import { InetSocket } from '../net/inet-socket.js';
import { getInetOption, setInetOption } from '../net/inet-options.js';
import { partial, type SyscallDef } from './types.js';

const SOL_SOCKET = 1;
const SO = {
  TYPE: 3, ERROR: 4, SNDBUF: 7, RCVBUF: 8, PEERCRED: 17, RCVTIMEO: 20, SNDTIMEO: 21, ACCEPTCONN: 30, PROTOCOL: 38,
  DOMAIN: 39, RCVTIMEO_NEW: 66, SNDTIMEO_NEW: 67,
} as const;

/** Which timeout an option names (the _OLD and _NEW numbers share struct timeval's layout on x86-64). */
function timeoutOf(opt: number): 'rcvTimeo' | 'sndTimeo' | null {
  if (opt === SO.RCVTIMEO || opt === SO.RCVTIMEO_NEW) return 'rcvTimeo';
  if (opt === SO.SNDTIMEO || opt === SO.SNDTIMEO_NEW) return 'sndTimeo';
  return null;
}

function getsockopt(t: Task, fd: number, level: number, opt: number, val: number, lenp: number): number {
  const room = t.mem.readI32(lenp);
  if (room < 0) throw err(E.EINVAL);
  const h = hostSocket(t.files.get(fd));
  const out = h ? hostSocketOption(h, level, opt) : optionOf(t, fd, level, opt);
  t.mem.write(val, out.subarray(0, Math.min(room, out.length)));
  t.mem.writeI32(lenp, Math.min(room, out.length));
  return 0;
}

/** The value of a guest socket's option. */
function optionOf(t: Task, fd: number, level: number, opt: number): Uint8Array {
  const s = sock(t, fd);
  const inetTimeout = s instanceof InetSocket && level === SOL_SOCKET && timeoutOf(opt);
  if (level !== SOL_SOCKET && !(s instanceof InetSocket)) throw err(E.EOPNOTSUPP); // AF_UNIX has no other level
  let out: Uint8Array;
  if (s instanceof InetSocket && !inetTimeout) out = getInetOption(s, level, opt, noteOnce(t));
  else if (s instanceof InetSocket) out = timeval(s.opts[timeoutOf(opt)!]);
  else if (opt === SO.PEERCRED) { // struct ucred of the peer at connect (or of the listener itself); none: pid 0, ids -1
    const c = struct(12);
    c.dv.setInt32(0, s.peerCred?.pid ?? 0, true);
    c.dv.setInt32(4, s.peerCred?.uid ?? -1, true);
    c.dv.setInt32(8, s.peerCred?.gid ?? -1, true);
    out = c.u8;
  } else if (timeoutOf(opt)) out = timeval(s[timeoutOf(opt)!]);
  else {
    const ints: Record<number, () => number> = {
      [SO.TYPE]: () => s.type, [SO.ERROR]: () => s.takeError(), [SO.SNDBUF]: () => SOCKET_BUFFER,
      [SO.RCVBUF]: () => SOCKET_BUFFER, [SO.ACCEPTCONN]: () => (s.listening ? 1 : 0), [SO.PROTOCOL]: () => 0,
      [SO.DOMAIN]: () => AF_UNIX,
    };
    if (!(opt in ints)) throw err(E.ENOPROTOOPT);
    const c = struct(4);
    c.dv.setInt32(0, ints[opt](), true);
    out = c.u8;
  }
  return out;
}

/** A timeout as struct timeval; none reads as zero. */
function timeval(ms: number): Uint8Array {
  const c = struct(16);
  if (ms !== Infinity) {
    c.dv.setBigInt64(0, BigInt(Math.floor(ms / 1000)), true);
    c.dv.setBigInt64(8, BigInt((ms % 1000) * 1000), true);
  }
  return c.u8;
}

function setsockopt(t: Task, fd: number, level: number, opt: number, val: number, len: number): number {
  const s = sock(t, fd);
  const which = level === SOL_SOCKET ? timeoutOf(opt) : null;
  if (s instanceof InetSocket) {
    if (which) s.opts[which] = timevalTimeout(t, val, len);
    else setInetOption(s, level, opt, len < 0 ? new Uint8Array(0) : t.mem.read(val, Math.min(len, 256)), s.bound, noteOnce(t));
    return 0;
  }
  if (level !== SOL_SOCKET) throw err(E.EOPNOTSUPP); // AF_UNIX has no other level (sock_no_setsockopt)
  if (which) s[which] = timevalTimeout(t, val, len);
  return 0;
}

/** sock_set_timeout: a struct timeval in ms, rounded up to the millisecond tick; zero is none, negative is at once. */
function timevalTimeout(t: Task, val: number, len: number): number {
  if (len < 16) throw err(E.EINVAL);
  const raw = t.mem.readU64(val), usec = t.mem.readU64(val + 8);
  if (usec >= 1_000_000) throw err(E.EDOM); // a negative tv_usec reads as a huge unsigned value
  if (raw >= 2 ** 63) return 0; // a negative tv_sec
  if ((raw === 0 && usec === 0) || raw > 1e12) return Infinity;
  return raw * 1000 + Math.ceil(usec / 1000);
}

export const socketOptSyscalls: SyscallDef[] = [
  partial(55, 'getsockopt', ['fd', 'int', 'int', 'ptr', 'ptr'], 'a host socket (a session\'s standard stream): SOL_SOCKET TYPE, ERROR, SNDBUF, RCVBUF, KEEPALIVE, ACCEPTCONN, PROTOCOL, DOMAIN from the host; AF_UNIX SOL_SOCKET: TYPE, ERROR, PEERCRED, SNDBUF, RCVBUF, ACCEPTCONN, DOMAIN, PROTOCOL, RCVTIMEO, SNDTIMEO; inet: those and REUSEADDR, KEEPALIVE, BROADCAST, LINGER, REUSEPORT (0), TCP_NODELAY, IPV6_V6ONLY; other inet options ENOPROTOOPT with a diagnostic', getsockopt),
  partial(54, 'setsockopt', ['fd', 'int', 'int', 'ptr', 'int'], 'AF_UNIX SOL_SOCKET: SO_RCVTIMEO, SO_SNDTIMEO; other options are accepted with no effect (SO_PASSCRED neither autobinds nor passes credentials); inet: as getsockopt (SO_REUSEPORT on: ENOPROTOOPT, SO_LINGER with a time does not make close wait, SO_RCVBUF/SNDBUF bound pbash\'s buffers, the host socket keeps its own), others ENOPROTOOPT with a diagnostic', setsockopt),
];
