// The host's network interfaces as rtnetlink describes them (rtnetlink(7)): guest sockets are host sockets, so
// the guest sees the host's interfaces, as WSL1 shows Windows' adapters. On a Linux host the links come from
// /sys/class/net (every interface, up or down, with its real index and flags); elsewhere from Node's list of
// configured interfaces. Addresses always come from Node (getifaddrs order: per family, interface by interface).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { AF_INET, AF_INET6, parseIPv6 } from './inet-address.js';

export const ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772;
export const IFF = { UP: 0x1, BROADCAST: 0x2, LOOPBACK: 0x8, RUNNING: 0x40, MULTICAST: 0x1000, LOWER_UP: 0x10000 } as const;
/** IF_OPER_* (RFC 2863 operational states, as IFLA_OPERSTATE carries them). */
const OPER: Record<string, number> = { unknown: 0, notpresent: 1, down: 2, lowerlayerdown: 3, testing: 4, dormant: 5, up: 6 };
/** rt_scope_t values of ifa_scope. */
export const SCOPE = { UNIVERSE: 0, LINK: 253, HOST: 254 } as const;

export interface HostAddr { family: number; bytes: Uint8Array; prefixlen: number; scope: number; }
export interface HostLink {
  index: number; name: string; type: number; flags: number; mtu: number; txqlen: number; operstate: number;
  mac: Uint8Array; broadcast: Uint8Array; addrs: HostAddr[];
}

const SYS_NET = '/sys/class/net';

/** An IPv4 netmask of `prefixlen` bits. */
export function ipv4Mask(prefixlen: number): Uint8Array {
  const m = new Uint8Array(4);
  new DataView(m.buffer).setUint32(0, prefixlen ? (0xffffffff << (32 - prefixlen)) >>> 0 : 0);
  return m;
}

/** An IPv4 address's broadcast address: the host bits set. */
export function ipv4Broadcast(a: HostAddr): Uint8Array {
  return Uint8Array.from(a.bytes, (b, i) => b | (~ipv4Mask(a.prefixlen)[i] & 0xff));
}

/** An IPv4 or IPv6 address in network byte order. */
const addrBytes = (ip: string): Uint8Array => (net.isIPv4(ip) ? Uint8Array.from(ip.split('.').map(Number)) : parseIPv6(ip));

const macBytes = (mac: string): Uint8Array => Uint8Array.from(mac.split(':').map((h) => parseInt(h, 16) || 0));

/** The scope Linux gives an address: host for loopback, link for IPv6 fe80::/10 and IPv4 169.254/16. */
function scopeOf(family: number, b: Uint8Array, internal: boolean): number {
  if (internal) return SCOPE.HOST;
  if (family === AF_INET6 && b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return SCOPE.LINK;
  if (family === AF_INET && b[0] === 169 && b[1] === 254) return SCOPE.LINK;
  return SCOPE.UNIVERSE;
}

function readSys(name: string, file: string): string | null {
  try { return fs.readFileSync(`${SYS_NET}/${name}/${file}`, 'latin1').trim(); } catch { return null; }
}

/** One interface from /sys/class/net; null when it vanished or is not readable. */
function sysLink(name: string): Omit<HostLink, 'addrs'> | null {
  const index = Number(readSys(name, 'ifindex'));
  if (!Number.isInteger(index) || index <= 0) return null;
  let flags = Number(readSys(name, 'flags') ?? 0);
  const operName = readSys(name, 'operstate') ?? 'unknown';
  // dev_get_flags: RUNNING and LOWER_UP follow the carrier (reading carrier of a down device fails)
  if (flags & IFF.UP && readSys(name, 'carrier') === '1') flags |= IFF.RUNNING | IFF.LOWER_UP;
  return {
    index, name, flags, type: Number(readSys(name, 'type') ?? ARPHRD_ETHER), mtu: Number(readSys(name, 'mtu') ?? 1500),
    txqlen: Number(readSys(name, 'tx_queue_len') ?? 1000), operstate: OPER[operName] ?? 0,
    mac: macBytes(readSys(name, 'address') ?? ''), broadcast: macBytes(readSys(name, 'broadcast') ?? ''),
  };
}

/** Links from Node's configured interfaces alone (non-Linux hosts): loopback first, indexes in order. */
function nodeLinks(ifaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): Omit<HostLink, 'addrs'>[] {
  const names = Object.keys(ifaces).sort((a, b) => +!ifaces[a]?.[0]?.internal - +!ifaces[b]?.[0]?.internal);
  return names.map((name, i) => {
    const lo = ifaces[name]?.[0]?.internal ?? false;
    return {
      index: i + 1, name, type: lo ? ARPHRD_LOOPBACK : ARPHRD_ETHER, mtu: lo ? 65536 : 1500, txqlen: 1000,
      flags: IFF.UP | IFF.RUNNING | IFF.LOWER_UP | (lo ? IFF.LOOPBACK : IFF.BROADCAST | IFF.MULTICAST),
      operstate: lo ? OPER.unknown : OPER.up, mac: macBytes(ifaces[name]?.[0]?.mac ?? ''), broadcast: new Uint8Array(6).fill(lo ? 0 : 0xff),
    };
  });
}

/** The host's links in index order, each with its addresses (in the host's own order). */
export function hostLinks(): HostLink[] {
  const ifaces = os.networkInterfaces();
  let names: string[] = [];
  try { names = fs.readdirSync(SYS_NET); } catch { /* not a Linux host */ }
  const sys = names.map(sysLink).filter((l): l is Omit<HostLink, 'addrs'> => l !== null);
  const links = (sys.length ? sys : nodeLinks(ifaces)).map((l) => ({ ...l, addrs: [] as HostAddr[] }));
  for (const l of links) {
    for (const a of ifaces[l.name] ?? []) {
      const family = a.family === 'IPv4' ? AF_INET : AF_INET6;
      const bytes = addrBytes(a.address);
      const prefixlen = Number(a.cidr?.split('/')[1] ?? (family === AF_INET ? 32 : 128));
      l.addrs.push({ family, bytes, prefixlen, scope: scopeOf(family, bytes, a.internal) });
    }
  }
  return links.sort((a, b) => a.index - b.index);
}
