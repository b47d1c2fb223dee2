// /proc/net/tcp, tcp6, udp, udp6, raw, raw6 (net/ipv4/tcp_ipv4.c tcp4_seq_show, net/ipv6/tcp_ipv6.c,
// net/ipv4/udp.c udp4_format_sock, net/ipv6/datagram.c): the instance's inet sockets that Linux would have
// hashed, in its columns. pbash's TCP and UDP run on host sockets, so what only the host's TCP knows (timers,
// retransmissions, rto, ato, congestion window) reads as an idle loopback socket shows it. pbash makes no raw
// sockets: those files hold their header only.
import type { Kernel } from '../../kernel/kernel.js';
import { AF_INET, anyHost, parseIPv6, type InetAddress } from '../../net/inet-address.js';
import { IPPROTO_TCP, type InetRow, type InetSocket } from '../../net/inet-socket.js';
import { kernelPointer } from './net-format.js';

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const TCP6_HEADER = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const UDP_HEADER = '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';
const DGRAM6_HEADER = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';
const RAW_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops';
const TCP_LISTEN = 10;

const hex = (n: number, w: number): string => (n >>> 0).toString(16).toUpperCase().padStart(w, '0');

/** An address as the listings print it: each 32-bit word of it in host (little-endian) order, then the port. */
function hexAddr(a: InetAddress | null, v6: boolean): string {
  const host = a?.host ?? anyHost(v6 ? 10 : AF_INET);
  const bytes = v6 ? parseIPv6(host.includes(':') ? host : `::ffff:${host}`) : Uint8Array.from(host.split('.').map(Number));
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) out += hex(bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24), 8);
  return `${out}:${hex(a?.port ?? 0, 4)}`;
}

/** IPv4 rows are padded with spaces to a fixed width (seq_setwidth/seq_pad); IPv6 rows are not. */
const pad = (line: string, width: number, v6: boolean): string => `${v6 ? line : line.padEnd(width)}\n`;

interface Listed { s: InetSocket; row: InetRow; }

function listed(kernel: Kernel, protocol: number, v6: boolean): Listed[] {
  const out: Listed[] = [];
  for (const s of kernel.inetSockets.list()) {
    if (s.protocol !== protocol || (s.domain !== AF_INET) === !v6) continue;
    for (const row of s.procRows()) out.push({ s, row });
  }
  return out;
}

/** The columns rows share from the addresses to the inode. */
const common = ({ s, row }: Listed, v6: boolean): string =>
  `${hexAddr(row.local, v6)} ${hexAddr(row.remote, v6)} ${hex(row.state, 2)} ${hex(row.tx, 8)}:${hex(row.rx, 8)} 00:00000000 00000000 `
  + `${String(row.embryo ? 0 : s.uid).padStart(5)} ${'0'.padStart(8)} ${row.embryo ? 0 : s.inode}`; // an embryo has no inode

/** tcp and tcp6: listeners first (the listening hash is walked before the established one). */
export function tcpText(kernel: Kernel, v6: boolean): string {
  const rows = listed(kernel, IPPROTO_TCP, v6);
  rows.sort((a, b) => +(b.row.state === TCP_LISTEN) - +(a.row.state === TCP_LISTEN));
  // after the inode: refcount, the sock, rto and ato in ticks, quick/pingpong, cwnd, ssthresh (-1: initial slow start)
  const tail = (l: Listed): string => (l.row.state === TCP_LISTEN ? `1 ${kernelPointer(l.s)} 100 0 0 10 0`
    : `${l.row.embryo ? 1 : 2} ${kernelPointer(l.row.embryo ?? l.s)} 20 4 0 10 -1`);
  return pad(v6 ? TCP6_HEADER : TCP_HEADER, 149, v6)
    + rows.map((l, i) => pad(`${String(i).padStart(4)}: ${common(l, v6)} ${tail(l)}`, 149, v6)).join('');
}

/**
 * udp and udp6: the slot column is the socket's bucket in the port hash (a 128-slot table salted per instance,
 * as udp_hashfn mixes in the namespace), rows in bucket order; after the inode the refcount, the sock, drops.
 */
export function udpText(kernel: Kernel, v6: boolean): string {
  const rows = listed(kernel, 17, v6).map((l) => ({ ...l, slot: (l.row.local.port + SALT) & 127 }));
  rows.sort((a, b) => a.slot - b.slot);
  return pad(v6 ? DGRAM6_HEADER : UDP_HEADER, 127, v6)
    + rows.map((l) => pad(`${String(l.slot).padStart(5)}: ${common(l, v6)} 2 ${kernelPointer(l.s)} 0`, 127, v6)).join('');
}

const SALT = Math.floor(Math.random() * 128);

/** raw and raw6: header only (socket(AF_INET, SOCK_RAW) is refused, see net/inet-create.ts). */
export const rawText = (v6: boolean): string => pad(v6 ? DGRAM6_HEADER : RAW_HEADER, 127, true);
