// The interface ioctls every socket answers (netdevice(7); net/core/dev_ioctl.c): names, indexes, flags,
// addresses, masks, MTU, hardware addresses and the SIOCGIFCONF list, from the host's links (host-links.ts).
// if_nametoindex and if_indextoname use them through any socket. The SIOCSIF* requests that would change the
// host's interfaces are refused with EPERM, even for root (the host's configuration is not the guest's).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { AF_INET } from './inet-address.js';
import { type HostAddr, type HostLink, IFF, hostLinks, ipv4Broadcast, ipv4Mask } from './host-links.js';

const SIOC = {
  GIFNAME: 0x8910, GIFCONF: 0x8912, GIFFLAGS: 0x8913, GIFADDR: 0x8915, GIFDSTADDR: 0x8917, GIFBRDADDR: 0x8919,
  GIFNETMASK: 0x891b, GIFMETRIC: 0x891d, GIFMTU: 0x8921, GIFHWADDR: 0x8927, GIFINDEX: 0x8933, GIFTXQLEN: 0x8942,
} as const;
/** The SIOCSIF* requests that would change an interface (flags, addresses, metric, MTU, hardware address, name...). */
const SETS = new Set([0x8914, 0x8916, 0x8918, 0x891a, 0x891c, 0x891e, 0x8922, 0x8923, 0x8924, 0x8931, 0x8932, 0x8934, 0x8936, 0x8943]);
const ADDRESS_REQUESTS: number[] = [SIOC.GIFADDR, SIOC.GIFDSTADDR, SIOC.GIFBRDADDR, SIOC.GIFNETMASK];
const IFNAMSIZ = 16, IFREQ = 40;

/** Whether ioctl request `req` is one of these (the caller's socket handles all others). */
export const isNetdeviceRequest = (req: number): boolean => Object.values(SIOC).includes(req as never) || SETS.has(req);

/** sockaddr_in of an IPv4 address (port 0), as the ifreq union carries it. */
function sockaddrIn(bytes: Uint8Array | null): Uint8Array {
  const b = new Uint8Array(16);
  b[0] = AF_INET;
  if (bytes) b.set(bytes, 4);
  return b;
}

/** The link's first IPv4 address (the primary one), as the SIOCGIF*ADDR requests report it. */
const ipv4 = (l: HostLink): HostAddr | null => l.addrs.find((a) => a.family === AF_INET) ?? null;

/** `inet`: the socket is AF_INET, whose family answers the address requests (inet_ioctl); others give ENOTTY. */
export function netdeviceIoctl(t: Task, req: number, arg: number, inet: boolean): number {
  if (SETS.has(req)) throw err(E.EPERM);
  if (!inet && ADDRESS_REQUESTS.includes(req)) throw err(E.ENOTTY);
  if (req === SIOC.GIFCONF) return ifconf(t, arg);
  const ifr = t.mem.read(arg, IFREQ);
  const dv = new DataView(ifr.buffer, ifr.byteOffset, IFREQ);
  const links = hostLinks();
  if (req === SIOC.GIFNAME) {
    const l = links.find((x) => x.index === dv.getInt32(16, true));
    if (!l) throw err(E.ENODEV);
    ifr.fill(0, 0, IFNAMSIZ);
    ifr.set(Buffer.from(l.name, 'latin1').subarray(0, IFNAMSIZ - 1));
    t.mem.write(arg, ifr.subarray(0, IFNAMSIZ));
    return 0;
  }
  const nul = ifr.subarray(0, IFNAMSIZ).indexOf(0);
  const name = Buffer.from(ifr.subarray(0, nul < 0 ? IFNAMSIZ : nul)).toString('latin1');
  const l = links.find((x) => x.name === name);
  if (!l) throw err(E.ENODEV);
  const out = new Uint8Array(24);
  const ov = new DataView(out.buffer);
  const a = ipv4(l);
  switch (req) {
    case SIOC.GIFFLAGS: ov.setUint16(0, l.flags & 0xffff, true); break;
    case SIOC.GIFINDEX: ov.setInt32(0, l.index, true); break;
    case SIOC.GIFMTU: ov.setInt32(0, l.mtu, true); break;
    case SIOC.GIFMETRIC: break; // always 0
    case SIOC.GIFTXQLEN: ov.setInt32(0, l.txqlen, true); break;
    case SIOC.GIFHWADDR: ov.setUint16(0, l.type, true); out.set(l.mac.subarray(0, 14), 2); break;
    case SIOC.GIFADDR: case SIOC.GIFDSTADDR: case SIOC.GIFNETMASK: case SIOC.GIFBRDADDR: {
      if (!a) throw err(E.EADDRNOTAVAIL);
      const bcast = l.flags & IFF.BROADCAST ? ipv4Broadcast(a) : null; // ifa_broadcast: none without IFF_BROADCAST
      out.set(sockaddrIn(req === SIOC.GIFNETMASK ? ipv4Mask(a.prefixlen) : req === SIOC.GIFBRDADDR ? bcast : a.bytes));
      break;
    }
  }
  t.mem.write(arg + IFNAMSIZ, out);
  return 0;
}

/** SIOCGIFCONF: an ifreq (name and IPv4 address) per IPv4 address, as many as ifc_len holds; none given: the size needed. */
function ifconf(t: Task, arg: number): number {
  const len = t.mem.readI32(arg);
  const buf = t.mem.readU64(arg + 8);
  const entries = hostLinks().flatMap((l) => l.addrs.filter((a) => a.family === AF_INET).map((a) => ({ name: l.name, a })));
  if (!buf) { t.mem.writeI32(arg, entries.length * IFREQ); return 0; }
  const fit = entries.slice(0, Math.max(0, Math.floor(len / IFREQ)));
  fit.forEach(({ name, a }, i) => {
    const r = new Uint8Array(IFREQ);
    r.set(Buffer.from(name, 'latin1').subarray(0, IFNAMSIZ - 1));
    r.set(sockaddrIn(a.bytes), IFNAMSIZ);
    t.mem.write(buf + i * IFREQ, r);
  });
  t.mem.writeI32(arg, fit.length * IFREQ);
  return 0;
}
