// Socket messages: sendmsg, recvmsg, sendto, recvfrom — addresses (msg_name), SCM_RIGHTS control messages,
// MSG_NOSIGNAL. The data path is net/unix-socket.ts; datagram destinations come from net/unix-connect.ts.
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import type { OpenFile, IoResult } from '../fs/file.js';
import type { KTask } from '../kernel/thread.js';
import { MSG_NOSIGNAL, type Received } from '../net/unix-socket.js';
import { type InetReceived, InetSocket } from '../net/inet-socket.js';
import { destination, senderName } from '../net/unix-connect.js';
import { struct } from './abi.js';
import { sock, sockaddrIn, sockaddrOut } from './socket-util.js';
import { partial, type SyscallDef } from './types.js';

const SOL_SOCKET = 1, SCM_RIGHTS = 1, SCM_MAX_FD = 253, MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20, MSG_CMSG_CLOEXEC = 0x40000000;
const SOCKADDR_MAX = 128;

/** MSG_NOSIGNAL: an EPIPE from this call raises no SIGPIPE. */
function noSigpipe(t: Task, flags: number, fn: () => IoResult): IoResult {
  const kt = t as KTask;
  if (flags & MSG_NOSIGNAL) kt.noSigpipe = true;
  const r = fn(); // a throw or a Promise leaves the flag for dispatch, which clears it when the call ends
  if (typeof r === 'number') kt.noSigpipe = false;
  return r;
}

/** struct msghdr: name @0, namelen @8, iov @16, iovlen @24, control @32, controllen @40, flags @48. */
function readMsghdr(t: Task, addr: number) {
  return {
    name: t.mem.readU64(addr), namelen: t.mem.readI32(addr + 8),
    iov: t.mem.readU64(addr + 16), iovlen: t.mem.readU64(addr + 24),
    control: t.mem.readU64(addr + 32), controllen: t.mem.readU64(addr + 40),
  };
}

/** SCM_RIGHTS control messages of a sendmsg: the files they name (each gains a reference while in flight). */
function filesFromControl(t: Task, control: number, len: number): OpenFile[] | null {
  const files: OpenFile[] = [];
  for (let off = 0; off + 16 <= len;) {
    const clen = t.mem.readU64(control + off);
    const level = t.mem.readI32(control + off + 8), type = t.mem.readI32(control + off + 12);
    if (clen < 16 || off + clen > len) throw err(E.EINVAL);
    if (level === SOL_SOCKET && type === SCM_RIGHTS) {
      for (let p = 16; p + 4 <= clen; p += 4) files.push(t.files.get(t.mem.readI32(control + off + p)));
    } else if (level !== SOL_SOCKET) throw err(E.EINVAL);
    off += Math.ceil(clen / 8) * 8;
  }
  if (files.length > SCM_MAX_FD) throw err(E.EINVAL);
  return files.length ? files.map((f) => f.ref()) : null;
}

export function sendmsg(t: Task, fd: number, msg: number, flags: number): IoResult {
  const s = sock(t, fd);
  const h = readMsghdr(t, msg);
  if (h.namelen < 0) throw err(E.EINVAL);
  const name = h.name ? t.mem.read(h.name, Math.min(h.namelen, SOCKADDR_MAX)) : null;
  const data = Buffer.concat(t.mem.iovecs(h.iov, h.iovlen).map((v) => t.mem.read(v.base, v.len)));
  if (s instanceof InetSocket) return noSigpipe(t, flags, () => s.send(data, flags, name)); // control messages: none kept
  const to = destination(t, s, name);
  const files = h.controllen ? filesFromControl(t, h.control, h.controllen) : null;
  try {
    return noSigpipe(t, flags, () => s.send(data, files, flags, to));
  } catch (e) { files?.forEach((f) => f.unref()); throw e; }
}

/** The files a recvmsg received as one SCM_RIGHTS message in its control buffer; returns the bytes used. */
function putRights(t: Task, h: { control: number; controllen: number }, files: OpenFile[], flags: number): { used: number; ctrunc: boolean } {
  const room = Math.floor((h.controllen - 16) / 4);
  const keep = files.slice(0, Math.max(0, room));
  const fds = keep.map((f) => t.files.install(f, (flags & MSG_CMSG_CLOEXEC) !== 0));
  files.forEach((f) => f.unref());
  if (fds.length === 0) return { used: 0, ctrunc: files.length > 0 };
  const c = struct(16 + 4 * fds.length);
  c.dv.setBigUint64(0, BigInt(16 + 4 * fds.length), true);
  c.dv.setInt32(8, SOL_SOCKET, true);
  c.dv.setInt32(12, SCM_RIGHTS, true);
  fds.forEach((v, i) => c.dv.setInt32(16 + 4 * i, v, true));
  t.mem.write(h.control, c.u8);
  return { used: Math.ceil(c.u8.length / 8) * 8, ctrunc: keep.length < files.length };
}

export function recvmsg(t: Task, fd: number, msg: number, flags: number): IoResult {
  const s = sock(t, fd);
  const h = readMsghdr(t, msg);
  const bufs = t.mem.iovecs(h.iov, h.iovlen).flatMap((v) => t.mem.slices(v.base, v.len, true));
  if (s instanceof InetSocket) {
    const from: InetReceived = { from: null, truncated: false };
    const done = (n: number): number => {
      if (h.name) sockaddrOut(t, h.name, msg + 8, from.from ?? new Uint8Array(0));
      t.mem.writeU64(msg + 40, 0);
      t.mem.writeI32(msg + 48, from.truncated ? MSG_TRUNC : 0);
      return n;
    };
    const r = s.receive(bufs, flags, from);
    return typeof r === 'number' ? done(r) : r.then(done);
  }
  const got: Received = { files: [], truncated: false, from: null };
  const finish = (n: number): number => {
    const rights = putRights(t, h, got.files!, flags);
    if (h.name) sockaddrOut(t, h.name, msg + 8, senderName(got.from));
    t.mem.writeU64(msg + 40, Math.min(rights.used, h.controllen));
    t.mem.writeI32(msg + 48, (got.truncated ? MSG_TRUNC : 0) | (rights.ctrunc ? MSG_CTRUNC : 0));
    return n;
  };
  const r = s.receive(bufs, flags, got);
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

function recvfrom(t: Task, fd: number, buf: number, len: number, flags: number, addr: number, lenp: number): IoResult {
  const s = sock(t, fd);
  const got: Received = { files: null, truncated: false, from: null };
  const inet: InetReceived = { from: null, truncated: false };
  const finish = (n: number): number => {
    // a stream socket reports no address (its length comes back 0), as tcp_recvmsg leaves msg_name alone
    if (addr) sockaddrOut(t, addr, lenp, s instanceof InetSocket ? inet.from ?? new Uint8Array(0) : senderName(got.from));
    return n;
  };
  const bufs = t.mem.slices(buf, len, true);
  const r = s instanceof InetSocket ? s.receive(bufs, flags, inet) : s.receive(bufs, flags, got);
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

const OOB_NOTE = 'MSG_OOB refused (Linux queues one out-of-band byte on streams); SCM_CREDENTIALS not passed; AF_INET/AF_INET6: no control messages (IP_PKTINFO, timestamps)';

export const socketMsgSyscalls: SyscallDef[] = [
  // sendmsg(2): msg_name for datagrams, SCM_RIGHTS
  partial(46, 'sendmsg', ['fd', 'ptr', 'flags'], OOB_NOTE, sendmsg),
  // recvmsg(2): the sender's address, SCM_RIGHTS (MSG_CTRUNC when they do not fit), MSG_TRUNC
  partial(47, 'recvmsg', ['fd', 'ptr', 'flags'], OOB_NOTE, recvmsg),
  // sendto(2): a datagram's destination
  partial(44, 'sendto', ['fd', 'ptr', 'size', 'flags', 'ptr', 'int'], OOB_NOTE, (t, fd, buf, len, flags, addr, alen) => {
    const s = sock(t, fd);
    const raw = addr ? sockaddrIn(t, addr, alen) : null;
    if (s instanceof InetSocket) return noSigpipe(t, flags, () => s.send(t.mem.read(buf, len), flags, raw));
    const to = destination(t, s, raw);
    return noSigpipe(t, flags, () => s.send(t.mem.read(buf, len), null, flags, to));
  }),
  // recvfrom(2): the sender's address (empty for an unnamed sender)
  partial(45, 'recvfrom', ['fd', 'ptr', 'size', 'flags', 'ptr', 'ptr'], OOB_NOTE, recvfrom),
];
