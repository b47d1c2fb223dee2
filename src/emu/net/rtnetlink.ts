// NETLINK_ROUTE requests answered from the host's interfaces (rtnetlink(7), netlink(7); net/core/rtnetlink.c,
// net/ipv4/devinet.c, net/ipv6/addrconf.c): RTM_GETLINK (a dump, or one link by index or name) and RTM_GETADDR
// dumps (all families, or AF_INET or AF_INET6), which glibc's getifaddrs, if_nameindex and getaddrinfo's
// AI_ADDRCONFIG check use. Nothing is ever changed: NEW/DEL/SET requests are EPERM without CAP_NET_ADMIN,
// EOPNOTSUPP with it (the host's configuration is not the guest's to change).
import { E } from '../kernel/errno.js';
import { AF_INET, AF_INET6, AF_UNSPEC } from './inet-address.js';
import { type HostLink, IFF, hostLinks, ipv4Broadcast } from './host-links.js';

export const NLMSG = { NOOP: 1, ERROR: 2, DONE: 3, MIN_TYPE: 0x10 } as const;
export const NLM_F = { REQUEST: 0x1, MULTI: 0x2, ACK: 0x4, DUMP: 0x300 } as const;
const RTM = { NEWLINK: 16, GETLINK: 18, NEWADDR: 20, GETADDR: 22, MAX: 127 } as const;
const IFLA = { ADDRESS: 1, BROADCAST: 2, IFNAME: 3, MTU: 4, STATS: 7, TXQLEN: 13, OPERSTATE: 16, LINKMODE: 17 } as const;
const IFA = { ADDRESS: 1, LOCAL: 2, LABEL: 3, BROADCAST: 4, CACHEINFO: 6, FLAGS: 8 } as const;
const IFA_F_PERMANENT = 0x80;
const HDR = 16;
/** Replies are packed into datagrams of about a page, as netlink_dump fills its skbs. */
const DATAGRAM = 4096;

const align = (n: number): number => (n + 3) & ~3;

/** One attribute (struct rtattr + payload, padded). */
function attr(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(align(4 + payload.length));
  new DataView(out.buffer).setUint16(0, 4 + payload.length, true);
  new DataView(out.buffer).setUint16(2, type, true);
  out.set(payload, 4);
  return out;
}
const u32 = (v: number): Uint8Array => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, true); return b; };
const cstr = (s: string): Uint8Array => Buffer.from(`${s}\0`, 'latin1');
const concat = (parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);

/** A message: struct nlmsghdr, then the body (padded). */
function message(type: number, flags: number, seq: number, port: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(HDR + align(body.length));
  const dv = new DataView(out.buffer);
  dv.setUint32(0, HDR + body.length, true);
  dv.setUint16(4, type, true);
  dv.setUint16(6, flags, true);
  dv.setUint32(8, seq, true);
  dv.setUint32(12, port, true);
  out.set(body, HDR);
  return out;
}

/** RTM_NEWLINK for a link: struct ifinfomsg and the attributes getifaddrs and `ip link` read. */
function linkMessage(l: HostLink): Uint8Array {
  const info = new Uint8Array(16);
  const dv = new DataView(info.buffer);
  dv.setUint16(2, l.type, true);
  dv.setInt32(4, l.index, true);
  dv.setUint32(8, l.flags, true);
  return concat([info, attr(IFLA.IFNAME, cstr(l.name)), attr(IFLA.TXQLEN, u32(l.txqlen)), attr(IFLA.OPERSTATE, Uint8Array.of(l.operstate)),
    attr(IFLA.LINKMODE, Uint8Array.of(0)), attr(IFLA.MTU, u32(l.mtu)), attr(IFLA.ADDRESS, l.mac), attr(IFLA.BROADCAST, l.broadcast),
    attr(IFLA.STATS, new Uint8Array(24 * 4))]); // struct rtnl_link_stats: no counters are kept (zeros)
}

/** RTM_NEWADDR bodies of a link's addresses of one family (struct ifaddrmsg and attributes, as inet_fill_ifaddr). */
function addrMessages(l: HostLink, family: number): Uint8Array[] {
  return l.addrs.filter((a) => a.family === family).map((a) => {
    const head = new Uint8Array(8);
    head.set([a.family, a.prefixlen, IFA_F_PERMANENT, a.scope]);
    new DataView(head.buffer).setUint32(4, l.index, true);
    const cache = new Uint8Array(16).fill(0xff, 0, 8); // preferred and valid lifetimes: forever
    const attrs = [attr(IFA.ADDRESS, a.bytes)];
    if (family === AF_INET) {
      attrs.push(attr(IFA.LOCAL, a.bytes));
      if (l.flags & IFF.BROADCAST && a.prefixlen < 31) {
        attrs.push(attr(IFA.BROADCAST, ipv4Broadcast(a)));
      }
      attrs.push(attr(IFA.LABEL, cstr(l.name)));
    }
    attrs.push(attr(IFA.FLAGS, u32(IFA_F_PERMANENT)), attr(IFA.CACHEINFO, cache));
    return concat([head, ...attrs]);
  });
}

/** NLMSG_ERROR: the errno (0 for an ACK) and the request's header, with its payload too on an error (no NETLINK_CAP_ACK). */
function errorMessage(req: Uint8Array, errno: number, port: number): Uint8Array {
  const seq = new DataView(req.buffer, req.byteOffset).getUint32(8, true);
  const body = new Uint8Array(4 + (errno ? req.length : HDR));
  new DataView(body.buffer).setInt32(0, -errno, true);
  body.set(req.subarray(0, body.length - 4), 4);
  return message(NLMSG.ERROR, errno ? 0 : 0x100 /* NLM_F_CAPPED */, seq, port, body);
}

/** The name an IFLA_IFNAME attribute of a GETLINK request gives, if any. */
function ifnameAttr(attrs: Uint8Array): string | null {
  const dv = new DataView(attrs.buffer, attrs.byteOffset, attrs.byteLength);
  for (let o = 0; o + 4 <= attrs.length;) {
    const len = dv.getUint16(o, true);
    if (len < 4 || o + len > attrs.length) break;
    if (dv.getUint16(o + 2, true) === IFLA.IFNAME) return Buffer.from(attrs.subarray(o + 4, o + len)).toString('latin1').replace(/\0.*$/s, '');
    o += align(len);
  }
  return null;
}

/** What one request gets back: reply bodies (each a whole message) or an errno for NLMSG_ERROR; null: nothing but the ack asked for. */
export type Answer = { dump: Uint8Array[]; type: number } | { one: Uint8Array; type: number } | { errno: number } | null;

function answer(type: number, flags: number, body: Uint8Array, privileged: boolean, note: (m: string) => void): Answer {
  if (type > RTM.MAX) return { errno: E.EOPNOTSUPP };
  if ((type & 3) !== 2) return { errno: privileged ? E.EOPNOTSUPP : E.EPERM }; // NEW, DEL, SET
  if (body.length < 1) return { errno: E.EINVAL };
  const dump = (flags & NLM_F.DUMP) === NLM_F.DUMP;
  if (type === RTM.GETLINK) {
    if (dump) return { dump: hostLinks().map(linkMessage), type: RTM.NEWLINK };
    if (body.length < 16) return { errno: E.EINVAL };
    const index = new DataView(body.buffer, body.byteOffset).getInt32(4, true);
    const name = ifnameAttr(body.subarray(16));
    const l = hostLinks().find((x) => (index > 0 ? x.index === index : x.name === name));
    return l && (index > 0 || name !== null) ? { one: linkMessage(l), type: RTM.NEWLINK } : { errno: E.ENODEV };
  }
  if (type === RTM.GETADDR && dump) {
    const family = body[0];
    const families = family === AF_UNSPEC ? [AF_INET, AF_INET6] : [family].filter((f) => f === AF_INET || f === AF_INET6);
    const links = hostLinks();
    return { dump: families.flatMap((f) => links.flatMap((l) => addrMessages(l, f))), type: RTM.NEWADDR };
  }
  note(`pbash: rtnetlink message type ${type}${dump ? ' (dump)' : ''} is not provided (links and addresses only) -> EOPNOTSUPP`);
  return { errno: E.EOPNOTSUPP };
}

/**
 * The datagrams answering what a process sent to the kernel (netlink_rcv_skb): each request in turn; a dump is
 * its messages with NLM_F_MULTI and NLMSG_DONE; NLM_F_ACK asks for an NLMSG_ERROR 0 after a request that is
 * not a dump; a failed request always gets NLMSG_ERROR. A truncated message ends the batch silently.
 */
export function rtnetlinkReply(data: Uint8Array, port: number, privileged: boolean, note: (m: string) => void): Uint8Array[] {
  return netlinkReply(data, port, (type, flags, body) => answer(type, flags, body, privileged, note));
}

/** netlink_rcv_skb for any protocol: each request of `data` answered by `answer` (see rtnetlinkReply). */
export function netlinkReply(data: Uint8Array, port: number, answer: (type: number, flags: number, body: Uint8Array) => Answer): Uint8Array[] {
  const out: Uint8Array[] = [];
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let o = 0; o + HDR <= data.length;) {
    const len = dv.getUint32(o, true);
    if (len < HDR || len > data.length - o) break;
    const type = dv.getUint16(o + 4, true), flags = dv.getUint16(o + 6, true), seq = dv.getUint32(o + 8, true);
    const req = data.subarray(o, o + len);
    const a = flags & NLM_F.REQUEST && type >= NLMSG.MIN_TYPE ? answer(type, flags, req.subarray(HDR)) : null;
    if (a && 'dump' in a) {
      out.push(...a.dump.map((b) => message(a.type, NLM_F.MULTI, seq, port, b)), message(NLMSG.DONE, NLM_F.MULTI, seq, port, u32(0)));
    } else if (a && 'one' in a) {
      out.push(message(a.type, 0, seq, port, a.one));
      if (flags & NLM_F.ACK) out.push(errorMessage(req, 0, port));
    } else if (a) out.push(errorMessage(req, a.errno, port));
    else if (flags & NLM_F.ACK) out.push(errorMessage(req, 0, port));
    o += align(len);
  }
  return pack(out);
}

/** Messages into datagrams of at most DATAGRAM bytes (a bigger message travels alone). */
function pack(msgs: Uint8Array[]): Uint8Array[] {
  const grams: Uint8Array[] = [];
  let cur: Uint8Array[] = [], size = 0;
  for (const m of msgs) {
    if (size && size + m.length > DATAGRAM) { grams.push(concat(cur)); cur = []; size = 0; }
    cur.push(m);
    size += m.length;
  }
  if (cur.length) grams.push(concat(cur));
  return grams;
}
