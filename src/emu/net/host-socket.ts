// A host socket a session hands the guest as a standard stream (fs/host-stream.ts): its names and SOL_SOCKET
// options are the host socket's own (getsockname, getpeername, getsockopt through the addon), so a program
// sees a socket as on Linux (bash's isnetconn: stdin from a socket makes it read ~/.bashrc).
import { getSystemErrorName } from 'node:util';
import { loadNative } from '../cpu/native.js';
import { E, err, fromHostError } from '../kernel/errno.js';
import type { OpenFile } from '../fs/file.js';
import { HostStream } from '../fs/host-stream.js';
import { SOL_SOCKET } from './inet-options.js';
import { AF_UNIX } from './unix-socket.js';

const SO_ERROR = 4, SO_DOMAIN = 39;
const hostError = (negErrno: number) => fromHostError({ code: getSystemErrorName(negErrno) });

/** The host stream at an fd when it is a socket, else null. */
export const hostSocket = (f: OpenFile | undefined): HostStream | null => (f instanceof HostStream && f.isSocket ? f : null);

/**
 * The socket's own address or its peer's, as a Linux sockaddr. An AF_UNIX name would be a host path, and the
 * guest sees only its own root: it reads as unnamed (the family alone, as an unbound socketpair end's).
 */
export function hostSocketName(f: HostStream, peer: boolean): Uint8Array {
  const r = loadNative().hostSockName(f.hostFd, peer);
  if (typeof r === 'number') throw hostError(r);
  return r.readUInt16LE(0) === AF_UNIX ? r.subarray(0, 2) : r;
}

/**
 * getsockopt at SOL_SOCKET: TYPE, ERROR, SNDBUF, RCVBUF, KEEPALIVE, ACCEPTCONN, PROTOCOL, DOMAIN; others
 * ENOPROTOOPT. Other levels: EOPNOTSUPP for AF_UNIX (it has none), ENOPROTOOPT for inet ones (not passed on).
 */
export function hostSocketOption(f: HostStream, level: number, opt: number): Uint8Array {
  if (level !== SOL_SOCKET) throw err(loadNative().hostSockOpt(f.hostFd, SO_DOMAIN) === AF_UNIX ? E.EOPNOTSUPP : E.ENOPROTOOPT);
  let v = loadNative().hostSockOpt(f.hostFd, opt);
  if (v < 0) throw hostError(v);
  if (opt === SO_ERROR && v !== 0) v = hostError(-v).errno;
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, v, true);
  return out;
}
