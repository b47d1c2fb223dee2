// Socket options of AF_INET/AF_INET6 sockets (socket(7), tcp(7), ipv6(7)) as integer and struct values:
// what sock_setsockopt / sock_getsockopt, do_tcp_setsockopt and do_ipv6_setsockopt keep and report.
// Timeouts (SO_RCVTIMEO/SO_SNDTIMEO) are shared with AF_UNIX and handled by the syscall layer.
import { E, err } from '../kernel/errno.js';
import { AF_INET } from './inet-address.js';
import { type InetSocket, IPPROTO_TCP } from './inet-socket.js';

export const SOL_SOCKET = 1, IPPROTO_IP = 0, IPPROTO_IPV6 = 41;
const SO = {
  REUSEADDR: 2, TYPE: 3, ERROR: 4, BROADCAST: 6, SNDBUF: 7, RCVBUF: 8, KEEPALIVE: 9, LINGER: 13, REUSEPORT: 15,
  SNDBUFFORCE: 32, RCVBUFFORCE: 33, ACCEPTCONN: 30, PROTOCOL: 38, DOMAIN: 39,
} as const;
const TCP_NODELAY = 1, IPV6_V6ONLY = 26, IP_RECVERR = 11, IPV6_RECVERR = 25;
/** IP_RECVERR / IPV6_RECVERR at their level (resolvers set it on their UDP sockets). */
const isRecvErr = (s: InetSocket, level: number, opt: number): boolean =>
  (level === IPPROTO_IP && opt === IP_RECVERR) || (level === IPPROTO_IPV6 && s.domain !== AF_INET && opt === IPV6_RECVERR);
/** net.core.rmem_max / wmem_max and SOCK_MIN_RCVBUF / SOCK_MIN_SNDBUF: the bounds of SO_RCVBUF and SO_SNDBUF. */
const BUF_MAX = 212992, MIN_RCVBUF = 2304, MIN_SNDBUF = 4608;

/** An option this layer does not provide: ENOPROTOOPT, and a line saying which (none for IPv6 levels on AF_INET, refused by Linux too). */
function unknown(s: InetSocket, level: number, opt: number, note: (m: string) => void): never {
  if (!(level === IPPROTO_IPV6 && s.domain === AF_INET)) note(`pbash: socket option level ${level} option ${opt} is not provided for family ${s.domain} sockets -> ENOPROTOOPT`);
  throw err(E.ENOPROTOOPT);
}

const int = (v: number): Uint8Array => { const b = new Uint8Array(4); new DataView(b.buffer).setInt32(0, v, true); return b; };

/** getsockopt(2): the option's bytes (the caller copies what fits). */
export function getInetOption(s: InetSocket, level: number, opt: number, note: (m: string) => void): Uint8Array {
  const o = s.opts;
  if (level === SOL_SOCKET) {
    if (opt === SO.LINGER) { const b = new Uint8Array(8); const dv = new DataView(b.buffer); dv.setInt32(0, o.linger === null ? 0 : 1, true); dv.setInt32(4, o.linger ?? 0, true); return b; }
    const v: Record<number, () => number> = {
      [SO.REUSEADDR]: () => +o.reuseAddr, [SO.TYPE]: () => s.type, [SO.ERROR]: () => s.takeError(), [SO.BROADCAST]: () => +o.broadcast,
      [SO.SNDBUF]: () => o.sndBuf, [SO.RCVBUF]: () => o.rcvBuf, [SO.KEEPALIVE]: () => +o.keepAlive, [SO.REUSEPORT]: () => 0,
      [SO.ACCEPTCONN]: () => +s.listening, [SO.PROTOCOL]: () => s.protocol, [SO.DOMAIN]: () => s.domain,
    };
    if (opt in v) return int(v[opt]());
  } else if (level === IPPROTO_TCP && s.protocol === IPPROTO_TCP && opt === TCP_NODELAY) return int(+o.noDelay);
  else if (level === IPPROTO_IPV6 && s.domain !== AF_INET && opt === IPV6_V6ONLY) return int(+o.v6only);
  else if (isRecvErr(s, level, opt)) return int(+o.recvErr);
  return unknown(s, level, opt, note);
}

/** setsockopt(2) with the option's bytes; `bound` says whether the socket has a local address yet. */
export function setInetOption(s: InetSocket, level: number, opt: number, val: Uint8Array, bound: boolean, note: (m: string) => void): void {
  const o = s.opts;
  const n = (): number => {
    if (val.length < 4) throw err(E.EINVAL);
    return new DataView(val.buffer, val.byteOffset, 4).getInt32(0, true);
  };
  if (level === SOL_SOCKET) {
    switch (opt) {
      case SO.REUSEADDR: o.reuseAddr = n() !== 0; return;
      case SO.KEEPALIVE: o.keepAlive = n() !== 0; s.applyOptions(); return;
      case SO.BROADCAST: o.broadcast = n() !== 0; s.applyOptions(); return;
      // the kernel doubles the request for its bookkeeping (sock_setsockopt), within [min, 2 * max]
      case SO.RCVBUF: case SO.RCVBUFFORCE: o.rcvBuf = Math.max(MIN_RCVBUF, 2 * Math.min(n() >>> 0, BUF_MAX)); return;
      case SO.SNDBUF: case SO.SNDBUFFORCE: o.sndBuf = Math.max(MIN_SNDBUF, 2 * Math.min(n() >>> 0, BUF_MAX)); return;
      case SO.LINGER: {
        if (val.length < 8) throw err(E.EINVAL);
        const dv = new DataView(val.buffer, val.byteOffset, 8);
        o.linger = dv.getInt32(0, true) ? Math.max(0, dv.getInt32(4, true)) : null;
        return;
      }
      case SO.REUSEPORT:
        if (n() === 0) return;
        note('pbash: SO_REUSEPORT is not provided (Node 20\'s net and dgram cannot share a port) -> ENOPROTOOPT');
        throw err(E.ENOPROTOOPT);
      case SO.TYPE: case SO.ERROR: case SO.ACCEPTCONN: case SO.PROTOCOL: case SO.DOMAIN: throw err(E.ENOPROTOOPT); // read-only
    }
  } else if (level === IPPROTO_TCP && s.protocol === IPPROTO_TCP && opt === TCP_NODELAY) {
    o.noDelay = n() !== 0;
    s.applyOptions();
    return;
  } else if (level === IPPROTO_IPV6 && s.domain !== AF_INET && opt === IPV6_V6ONLY) {
    const v = n();
    if (bound) throw err(E.EINVAL); // only before bind (do_ipv6_setsockopt)
    o.v6only = v !== 0;
    return;
  } else if (isRecvErr(s, level, opt)) {
    // kept and reported; no error queue is built (MSG_ERRQUEUE finds it empty), errors still reach connected sockets
    o.recvErr = n() !== 0;
    return;
  }
  unknown(s, level, opt, note);
}
