// socket(AF_INET | AF_INET6, type, protocol) as inet_create picks the protocol: SOCK_STREAM is TCP and
// SOCK_DGRAM is UDP (protocol 0 or the matching IPPROTO_*), a type with no inet protocol is ESOCKTNOSUPPORT.
import { E, err } from '../kernel/errno.js';
import { InetOptions, IPPROTO_TCP, IPPROTO_UDP, type InetSocket } from './inet-socket.js';
import { TCP_RCVBUF, TCP_SNDBUF, TcpSocket } from './tcp-socket.js';
import { UDP_BUF, UdpSocket } from './udp-socket.js';

/** Socket types (SOCK_*) inet_create knows. */
const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3;

/**
 * A new inet socket, or the errno Linux gives. Raw sockets and ICMP "ping" datagram sockets have no host
 * equivalent in Node: EPERM for a task without CAP_NET_RAW (as Linux), EPROTONOSUPPORT with `note` otherwise.
 */
export function createInet(domain: number, kind: number, protocol: number, flags: number, privileged: boolean, note: (m: string) => void): InetSocket {
  if (kind === SOCK_STREAM && (protocol === 0 || protocol === IPPROTO_TCP)) {
    return new TcpSocket(domain, new InetOptions(TCP_RCVBUF, TCP_SNDBUF), flags);
  }
  if (kind === SOCK_DGRAM && (protocol === 0 || protocol === IPPROTO_UDP)) {
    return new UdpSocket(domain, new InetOptions(UDP_BUF, UDP_BUF), flags);
  }
  if (kind === SOCK_RAW && !privileged) throw err(E.EPERM);
  if (kind !== SOCK_STREAM && kind !== SOCK_DGRAM && kind !== SOCK_RAW) throw err(E.ESOCKTNOSUPPORT);
  // what Linux has and pbash has not: raw, ping (ICMP, ICMPv6), SCTP, UDP-Lite, MPTCP; others Linux refuses too
  if (kind === SOCK_RAW || [1, 58, 132, 136, 262].includes(protocol)) note(`pbash: socket type ${kind} protocol ${protocol} of family ${domain} is not provided (TCP and UDP only) -> EPROTONOSUPPORT`);
  throw err(E.EPROTONOSUPPORT);
}
