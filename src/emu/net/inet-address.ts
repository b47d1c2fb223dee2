// Internet socket addresses (ip(7) struct sockaddr_in, ipv6(7) struct sockaddr_in6): guest bytes to the host
// strings Node's net and dgram take, and back, with the length and family checks of net/ipv4/af_inet.c
// (inet_bind, tcp_v4_connect) and net/ipv6/af_inet6.c (inet6_bind, SIN6_LEN_RFC2133).
import { isIPv4, isIPv6 } from 'node:net';
import { E, err } from '../kernel/errno.js';

export const AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;
const SOCKADDR_IN = 16, SOCKADDR_IN6 = 28, SIN6_LEN_RFC2133 = 24;

/** An address as the host APIs take it: `host` is dotted IPv4 or textual IPv6 (v4-mapped as ::ffff:a.b.c.d). */
export interface InetAddress { host: string; port: number; }

export const familyOf = (raw: Uint8Array): number => (raw.length >= 2 ? raw[0] | (raw[1] << 8) : -1);

/**
 * The address a bind/connect/sendto gives to a socket of `domain`: EINVAL when shorter than its sockaddr
 * (or for a v4-mapped address on an IPV6_V6ONLY socket), EAFNOSUPPORT for another family. bind accepts
 * AF_UNSPEC with INADDR_ANY on AF_INET sockets, as Linux does for old programs (`unspecAny`).
 */
export function parseInet(raw: Uint8Array, domain: number, unspecAny = false): InetAddress {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (domain === AF_INET) {
    if (raw.length < SOCKADDR_IN) throw err(E.EINVAL);
    const host = raw.subarray(4, 8).join('.');
    const fam = familyOf(raw);
    if (fam !== AF_INET && !(unspecAny && fam === AF_UNSPEC && host === '0.0.0.0')) throw err(E.EAFNOSUPPORT);
    return { host, port: dv.getUint16(2) };
  }
  if (raw.length < SIN6_LEN_RFC2133) throw err(E.EINVAL);
  if (familyOf(raw) !== AF_INET6) throw err(E.EAFNOSUPPORT);
  return { host: formatIPv6(raw.subarray(8, 24)), port: dv.getUint16(2) };
}

/** The sockaddr a socket of `domain` reports for a host address (an IPv4 one on an AF_INET6 socket is v4-mapped). */
export function encodeInet(domain: number, host: string, port: number): Uint8Array {
  const out = new Uint8Array(domain === AF_INET ? SOCKADDR_IN : SOCKADDR_IN6);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, domain, true);
  dv.setUint16(2, port);
  const v4 = v4Bytes(host);
  if (domain === AF_INET) { out.set(v4 ?? [0, 0, 0, 0], 4); return out; }
  if (v4) { out.set([0xff, 0xff], 18); out.set(v4, 20); } else out.set(parseIPv6(host), 8);
  return out;
}

/** The wildcard address of a domain (INADDR_ANY, in6addr_any). */
export const anyHost = (domain: number): string => (domain === AF_INET ? '0.0.0.0' : '::');

/** An IPv4 address's bytes, also from its v4-mapped IPv6 form (as Node reports peers of dual-stack sockets). */
function v4Bytes(host: string): number[] | null {
  const h = host.startsWith('::ffff:') && isIPv4(host.slice(7)) ? host.slice(7) : host;
  return isIPv4(h) ? h.split('.').map(Number) : null;
}

/** RFC 5952 text for 16 bytes (v4-mapped as ::ffff:a.b.c.d, so both Node and the guest agree on it). */
export function formatIPv6(b: Uint8Array): string {
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return `::ffff:${b.subarray(12).join('.')}`;
  const words = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j === i ? i + 1 : j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  return best < 0 ? hex(words) : `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLen))}`;
}

/** Textual IPv6 (with '::', an embedded IPv4 tail, an optional %zone) to 16 bytes. */
export function parseIPv6(host: string): Uint8Array {
  const out = new Uint8Array(16);
  const text = host.split('%')[0];
  if (!isIPv6(text)) return out;
  const words = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').flatMap((p) => (p.includes('.') ? (([a, b, c, d]) => [(a << 8) | b, (c << 8) | d])(p.split('.').map(Number)) : [parseInt(p, 16)]));
  };
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const hw = words(head), tw = tail === null ? [] : words(tail);
  const all = [...hw, ...new Array(8 - hw.length - tw.length).fill(0), ...tw];
  all.forEach((w, i) => { out[2 * i] = w >> 8; out[2 * i + 1] = w & 0xff; });
  return out;
}
