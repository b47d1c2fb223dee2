// Socket options: getsockopt and setsockopt at SOL_SOCKET for AF_UNIX sockets.
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { AF_UNIX, SOCKET_BUFFER } from '../net/unix-socket.js';
import { struct } from './abi.js';
import { sock } from './socket-util.js';
import { partial, type SyscallDef } from './types.js';

const SOL_SOCKET = 1;
const SO = { TYPE: 3, ERROR: 4, SNDBUF: 7, RCVBUF: 8, PEERCRED: 17, ACCEPTCONN: 30, PROTOCOL: 38, DOMAIN: 39 } as const;

function getsockopt(t: Task, fd: number, level: number, opt: number, val: number, lenp: number): number {
  const s = sock(t, fd);
  if (level !== SOL_SOCKET) throw err(E.ENOPROTOOPT);
  const room = t.mem.readI32(lenp);
  if (room < 0) throw err(E.EINVAL);
  let out: Uint8Array;
  if (opt === SO.PEERCRED) { // struct ucred of the peer at connect (or of the listener itself); none: pid 0, ids -1
    const c = struct(12);
    c.dv.setInt32(0, s.peerCred?.pid ?? 0, true);
    c.dv.setInt32(4, s.peerCred?.uid ?? -1, true);
    c.dv.setInt32(8, s.peerCred?.gid ?? -1, true);
    out = c.u8;
  } else {
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
  t.mem.write(val, out.subarray(0, Math.min(room, out.length)));
  t.mem.writeI32(lenp, Math.min(room, out.length));
  return 0;
}

export const socketOptSyscalls: SyscallDef[] = [
  partial(55, 'getsockopt', ['fd', 'int', 'int', 'ptr', 'ptr'], 'SOL_SOCKET: TYPE, ERROR, PEERCRED, SNDBUF, RCVBUF, ACCEPTCONN, DOMAIN, PROTOCOL', getsockopt),
  partial(54, 'setsockopt', ['fd', 'int', 'int', 'ptr', 'int'], 'SOL_SOCKET options are accepted and have no effect (SO_RCVTIMEO/SO_SNDTIMEO do not time out, SO_PASSCRED neither autobinds nor passes credentials)', (t, fd, level) => {
    sock(t, fd);
    if (level !== SOL_SOCKET) throw err(E.ENOPROTOOPT);
    return 0;
  }),
];
