// /proc/net/dev, if_inet6, route and packet (net/core/net-procfs.c dev_seq_show, net/ipv6/addrconf.c
// if6_seq_show, net/ipv4/fib_trie.c fib_route_seq_show, net/packet/af_packet.c): the interfaces are the
// host's, as rtnetlink and the netdevice ioctls report them (net/host-links.ts).
import fs from 'node:fs';
import { AF_INET6 } from '../../net/inet-address.js';
import { SCOPE, hostLinks } from '../../net/host-links.js';

const DEV_HEADER = 'Inter-|   Receive                                                |  Transmit\n'
  + ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

/** dev: one row per interface; the counters are 0, as the links' statistics rtnetlink reports. */
export function devText(): string {
  const zeros = [7, 7, 4, 4, 4, 5, 10, 9, 8, 7, 4, 4, 4, 5, 7, 10].map((w) => '0'.padStart(w)).join(' ');
  return DEV_HEADER + hostLinks().map((l) => `${l.name.padStart(6)}: ${zeros}\n`).join('');
}

/** The IPV6_ADDR_SCOPE_* value if_inet6 prints for an address scope (loopback 0x10, link 0x20, global 0). */
const v6Scope = (scope: number): number => (scope === SCOPE.HOST ? 0x10 : scope === SCOPE.LINK ? 0x20 : 0);
/** IFA_F_PERMANENT: every address is static here, as rtnetlink's IFA_FLAGS says. */
const IFA_F_PERMANENT = 0x80;
const hx = (n: number): string => n.toString(16).padStart(2, '0');

/** if_inet6: every IPv6 address: the address, ifindex, prefix length, scope, flags, interface name. */
export function ifInet6Text(): string {
  return hostLinks().flatMap((l) => l.addrs.filter((a) => a.family === AF_INET6).map((a) =>
    `${Buffer.from(a.bytes).toString('hex')} ${hx(l.index)} ${hx(a.prefixlen)} ${hx(v6Scope(a.scope))} ${hx(IFA_F_PERMANENT)} ${l.name.padStart(8)}\n`)).join('');
}

const ROUTE_HEADER = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT';

/**
 * route: guest sockets are the host's, so they go by the host's IPv4 routing table: on a Linux host its own
 * rows; elsewhere none is known and the file holds its header only.
 */
export function routeText(): string {
  try {
    return fs.readFileSync('/proc/net/route', 'latin1');
  } catch {
    return `${ROUTE_HEADER.padEnd(127)}\n`;
  }
}

/** packet: AF_PACKET sockets cannot be made here (EAFNOSUPPORT), so none is listed. */
export const packetText = (): string => 'sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n';
