// /proc/net/unix (net/unix/af_unix.c unix_seq_show): every AF_UNIX socket of the network namespace with its
// reference count, listening flag, type, socket state, inode and name.
import type { Kernel } from '../../kernel/kernel.js';
import type { UnixSocket } from '../../net/unix-socket.js';
import { kernelPointer } from './net-format.js';

const HEADER = 'Num       RefCount Protocol Flags    Type St Inode Path\n';
/** __SO_ACCEPTCON: the Flags bit of a listening socket. */
const SO_ACCEPTCON = 1 << 16;
/** socket_state values (SS_UNCONNECTED...). */
const SS = { UNCONNECTED: 1, CONNECTING: 2, CONNECTED: 3, DISCONNECTING: 4 } as const;

const hex = (n: number, w: number): string => n.toString(16).toUpperCase().padStart(w, '0');

/**
 * The socket state column: a socket with a file shows connected or unconnected by sk_state; a connection
 * not yet accepted has no socket and shows connecting (established) or disconnecting.
 */
function state(s: UnixSocket): number {
  if (s.embryo) return s.established ? SS.CONNECTING : SS.DISCONNECTING;
  return s.established ? SS.CONNECTED : SS.UNCONNECTED;
}

/** The name as Linux prints it: a path without its NUL, an abstract name with '@' for each NUL byte. */
function name(s: UnixSocket): string {
  const a = s.address;
  if (!a) return '';
  const sun = a.bytes.subarray(2, a.path !== null ? a.bytes.length - 1 : a.bytes.length);
  return ` ${Buffer.from(sun.map((b) => (b === 0 ? 0x40 : b))).toString('latin1')}`;
}

export function unixText(kernel: Kernel): string {
  const all = kernel.unixSockets.list();
  // one reference for the socket, one for the hash table, one from every socket whose peer it is (sock_hold)
  const refs = new Map<UnixSocket, number>();
  for (const s of all) if (s.peer) refs.set(s.peer, (refs.get(s.peer) ?? 0) + 1);
  return HEADER + all.map((s) => `${kernelPointer(s)}: ${hex(2 + (refs.get(s) ?? 0), 8)} ${hex(0, 8)} `
    + `${hex(s.listening ? SO_ACCEPTCON : 0, 8)} ${hex(s.type, 4)} ${hex(state(s), 2)} `
    + `${String(s.embryo ? 0 : s.inode).padStart(5)}${name(s)}\n`).join('');
}
