// Sockets: socket(2) and connect(2) for AF_UNIX (see net/unix-socket.ts for what exists so far).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { AF_UNIX, MSG_NOSIGNAL, SOCK, UnixSocket, socketPair } from '../net/unix-socket.js';
import type { OpenFile } from '../fs/file.js';
import type { KTask } from '../kernel/thread.js';
import type { IoResult } from '../fs/file.js';
import { struct } from './abi.js';
import { partial, sys, type SyscallDef } from './types.js';

const reported = new Set<number>();
const SOCKADDR_MAX = 128;

function socket(t: Task, domain: number, type: number, protocol: number): number {
  const kind = type & SOCK.TYPE_MASK;
  if (type & ~(SOCK.TYPE_MASK | SOCK.NONBLOCK | SOCK.CLOEXEC)) throw err(E.EINVAL);
  if (domain !== AF_UNIX) {
    if (!reported.has(domain)) {
      reported.add(domain);
      t.kernel.log(`pbash: socket family ${domain} is not provided yet (only AF_UNIX) -> EAFNOSUPPORT`);
    }
    throw err(E.EAFNOSUPPORT);
  }
  if (kind !== SOCK.STREAM && kind !== SOCK.DGRAM && kind !== SOCK.SEQPACKET) throw err(E.ESOCKTNOSUPPORT);
  if (protocol !== 0) throw err(E.EPROTONOSUPPORT);
  return t.files.install(() => new UnixSocket(kind, type), (type & SOCK.CLOEXEC) !== 0);
}

function connect(t: Task, fd: number, addr: number, len: number): number {
  const f = sock(t, fd);
  if (len < 0 || len > SOCKADDR_MAX) throw err(E.EINVAL);
  return f.connect(t, t.mem.read(addr, len));
}

function sock(t: Task, fd: number): UnixSocket {
  const f = t.files.get(fd);
  if (!(f instanceof UnixSocket)) throw err(E.ENOTSOCK);
  return f;
}

/** getsockname(2): an unbound AF_UNIX socket's address is just the family (addrlen 2). */
function getsockname(t: Task, fd: number, addr: number, lenp: number): number {
  sock(t, fd);
  const room = t.mem.readI32(lenp);
  if (room < 0) throw err(E.EINVAL);
  const name = Uint8Array.of(AF_UNIX, 0);
  t.mem.write(addr, name.subarray(0, Math.min(room, name.length)));
  t.mem.writeI32(lenp, name.length);
  return 0;
}

const SOL_SOCKET = 1, SCM_RIGHTS = 1, SCM_MAX_FD = 253, MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20, MSG_CMSG_CLOEXEC = 0x40000000;

function socketpair(t: Task, domain: number, type: number, protocol: number, sv: number): number {
  const kind = type & SOCK.TYPE_MASK;
  if (domain !== AF_UNIX) throw err(E.EAFNOSUPPORT);
  if (type & ~(SOCK.TYPE_MASK | SOCK.NONBLOCK | SOCK.CLOEXEC)) throw err(E.EINVAL);
  if (kind !== SOCK.STREAM && kind !== SOCK.DGRAM && kind !== SOCK.SEQPACKET) throw err(E.ESOCKTNOSUPPORT);
  if (protocol !== 0) throw err(E.EPROTONOSUPPORT);
  t.mem.slices(sv, 8, true);
  const [a, b] = socketPair(kind, type, { pid: t.process.pid, uid: t.creds.euid, gid: t.creds.egid });
  const [fa, fb] = t.files.installPair(a, b, (type & SOCK.CLOEXEC) !== 0);
  t.mem.writeI32(sv, fa);
  t.mem.writeI32(sv + 4, fb);
  return 0;
}

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

function sendmsg(t: Task, fd: number, msg: number, flags: number): IoResult {
  const s = sock(t, fd);
  const h = readMsghdr(t, msg);
  const data = Buffer.concat(t.mem.iovecs(h.iov, h.iovlen).map((v) => t.mem.read(v.base, v.len)));
  const files = h.controllen ? filesFromControl(t, h.control, h.controllen) : null;
  try {
    return noSigpipe(t, flags, () => s.send(data, files, flags));
  } catch (e) { files?.forEach((f) => f.unref()); throw e; }
}

function recvmsg(t: Task, fd: number, msg: number, flags: number): IoResult {
  const s = sock(t, fd);
  const h = readMsghdr(t, msg);
  const bufs = t.mem.iovecs(h.iov, h.iovlen).flatMap((v) => t.mem.slices(v.base, v.len, true));
  const got = { files: [] as OpenFile[], truncated: false };
  const finish = (n: number): number => {
    let mflags = got.truncated ? MSG_TRUNC : 0;
    let used = 0;
    if (got.files.length) {
      const room = Math.floor((h.controllen - 16) / 4);
      const keep = got.files.slice(0, Math.max(0, room));
      if (keep.length < got.files.length) mflags |= MSG_CTRUNC;
      const fds = keep.map((f) => t.files.install(f, (flags & MSG_CMSG_CLOEXEC) !== 0));
      got.files.forEach((f) => f.unref());
      if (fds.length) {
        const c = struct(16 + 4 * fds.length);
        c.dv.setBigUint64(0, BigInt(16 + 4 * fds.length), true);
        c.dv.setInt32(8, SOL_SOCKET, true);
        c.dv.setInt32(12, SCM_RIGHTS, true);
        fds.forEach((v, i) => c.dv.setInt32(16 + 4 * i, v, true));
        t.mem.write(h.control, c.u8);
        used = Math.ceil(c.u8.length / 8) * 8;
      }
    }
    t.mem.writeU64(msg + 40, Math.min(used, h.controllen));
    t.mem.writeI32(msg + 8, 0);
    t.mem.writeI32(msg + 48, mflags);
    return n;
  };
  const r = s.receive(bufs, flags, got);
  return typeof r === 'number' ? finish(r) : r.then(finish);
}

function getsockopt(t: Task, fd: number, level: number, opt: number, val: number, lenp: number): number {
  const s = sock(t, fd);
  if (level !== SOL_SOCKET) throw err(E.ENOPROTOOPT);
  const room = t.mem.readI32(lenp);
  if (room < 0) throw err(E.EINVAL);
  let out: Uint8Array;
  if (opt === 17) { // SO_PEERCRED: struct ucred of the peer (unknown: pid 0, uid/gid -1)
    const c = struct(12);
    c.dv.setInt32(0, s.peerCred?.pid ?? 0, true);
    c.dv.setInt32(4, s.peerCred?.uid ?? -1, true);
    c.dv.setInt32(8, s.peerCred?.gid ?? -1, true);
    out = c.u8;
  } else {
    const ints: Record<number, number> = { 3: s.type, 4: 0, 7: 212992, 8: 212992, 30: 0, 38: 0, 39: AF_UNIX };
    if (!(opt in ints)) throw err(E.ENOPROTOOPT);
    const c = struct(4);
    c.dv.setInt32(0, ints[opt], true);
    out = c.u8;
  }
  t.mem.write(val, out.subarray(0, Math.min(room, out.length)));
  t.mem.writeI32(lenp, Math.min(room, out.length));
  return 0;
}

export const socketSyscalls: SyscallDef[] = [
  partial(41, 'socket', ['int', 'int', 'int'], 'AF_UNIX only (other families EAFNOSUPPORT with a diagnostic)', socket),
  partial(51, 'getsockname', ['fd', 'ptr', 'ptr'], 'AF_UNIX sockets are never bound yet', getsockname),
  // getpeername(2): no socket is ever connected yet (bash asks it of stdin to spot rsh)
  partial(52, 'getpeername', ['fd', 'ptr', 'ptr'], 'no socket is connected yet: ENOTCONN', (t, fd) => { sock(t, fd); throw err(E.ENOTCONN); }),
  sys(48, 'shutdown', ['fd', 'int'], (t, fd, how) => {
    const s = sock(t, fd);
    if (how < 0 || how > 2) throw err(E.EINVAL);
    s.shutdown(how);
    return 0;
  }),
  partial(53, 'socketpair', ['int', 'int', 'int', 'ptr'], 'AF_UNIX only', socketpair),
  sys(46, 'sendmsg', ['fd', 'ptr', 'flags'], sendmsg),
  sys(47, 'recvmsg', ['fd', 'ptr', 'flags'], recvmsg),
  sys(44, 'sendto', ['fd', 'ptr', 'size', 'flags', 'ptr', 'int'], (t, fd, buf, len, flags) =>
    noSigpipe(t, flags, () => sock(t, fd).send(t.mem.read(buf, len), null, flags))),
  sys(45, 'recvfrom', ['fd', 'ptr', 'size', 'flags', 'ptr', 'ptr'], (t, fd, buf, len, flags, addr, addrlen) => {
    if (addr && addrlen) t.mem.writeI32(addrlen, 0); // a connected unnamed peer has no address
    return sock(t, fd).receive(t.mem.slices(buf, len, true), flags, null);
  }),
  partial(55, 'getsockopt', ['fd', 'int', 'int', 'ptr', 'ptr'], 'SOL_SOCKET: TYPE, ERROR, PEERCRED, SNDBUF, RCVBUF, ACCEPTCONN, DOMAIN, PROTOCOL', getsockopt),
  partial(54, 'setsockopt', ['fd', 'int', 'int', 'ptr', 'int'], 'SOL_SOCKET options are accepted and have no effect', (t, fd, level) => {
    sock(t, fd);
    if (level !== SOL_SOCKET) throw err(E.ENOPROTOOPT);
    return 0;
  }),
  partial(42, 'connect', ['fd', 'ptr', 'int'], 'AF_UNIX: no socket can listen yet, so ENOENT or ECONNREFUSED', connect),
];
