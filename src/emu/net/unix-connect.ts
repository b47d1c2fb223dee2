// AF_UNIX names and connections (net/unix/af_unix.c): bind, listen, accept, connect for streams and
// seqpackets (a connection exists from connect on, queued on the listener until accepted), and the
// addressing of datagram sockets (connect sets the default peer, sendto names a destination).
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { waitOn } from '../kernel/wait-queue.js';
import { AF_UNIX, UNNAMED, parseUnixAddress } from './unix-address.js';
import { type Cred, RCV, SOCK, UnixSocket, sockWait } from './unix-socket.js';

const AF_UNSPEC = 0;
const family = (raw: Uint8Array): number => (raw.length >= 2 ? raw[0] | (raw[1] << 8) : -1);
const credOf = (t: Task): Cred => ({ pid: t.process.pid, uid: t.creds.euid, gid: t.creds.egid });

/** bind(2): a path, an abstract name, or (only the family given) an autobind name. */
export function bind(t: Task, s: UnixSocket, raw: Uint8Array): void {
  const names = t.kernel.unixNames;
  if (raw.length === 2 && family(raw) === AF_UNIX) { names.autobind(s); return; }
  const a = parseUnixAddress(raw);
  if (a.path === null) names.bindAbstract(s, a); else names.bindPath(t, s, a);
}

/** listen(2) (unix_listen): a bound, unconnected stream or seqpacket socket; again only changes the backlog. */
export function listen(t: Task, s: UnixSocket, backlog: number): void {
  if (s.type === SOCK.DGRAM) throw err(E.EOPNOTSUPP);
  if (!s.address || s.peer) throw err(E.EINVAL);
  if (backlog > s.backlog) s.queue.notify(); // connects waiting for room may go on
  s.backlog = backlog;
  s.pending ??= [];
  s.peerCred = credOf(t); // what connecting sockets will see as their peer's credentials
}

/** accept(2) (unix_accept): the oldest connection, waiting for one unless the listener is non-blocking. */
export function accept(s: UnixSocket): UnixSocket | Promise<UnixSocket> {
  if (s.type === SOCK.DGRAM) throw err(E.EOPNOTSUPP);
  if (!s.pending) throw err(E.EINVAL);
  let got: UnixSocket | null = null;
  const attempt = (): number | null => {
    got = s.pending?.shift() ?? null;
    if (!got) {
      if (!s.pending) throw err(E.EINVAL);
      if (s.nonblocking) throw err(E.EAGAIN);
      return null;
    }
    got.embryo = false; // grafted onto the new socket accept returns
    s.queue.notify(); // room in the backlog
    return 0;
  };
  const r = waitOn([s.queue], attempt, sockWait(s.rcvTimeo, () => 0));
  return typeof r === 'number' ? got! : r.then(() => got!);
}

/** connect(2) for every type; streams and seqpackets connect to a listener, datagrams pick their peer. */
export function connect(t: Task, s: UnixSocket, raw: Uint8Array): number | Promise<number> {
  if (s.type === SOCK.DGRAM) { connectDgram(t, s, raw); return 0; }
  const a = parseUnixAddress(raw);
  let listener: UnixSocket | null = null;
  const attempt = (): number | null => {
    const other = listener = t.kernel.unixNames.find(t, a, s.type);
    if (!other.pending || (other.shut & RCV)) throw err(E.ECONNREFUSED);
    if (other.pending.length > other.backlog) { // unix_recvq_full: backlog + 1 may wait
      if (s.nonblocking) throw err(E.EAGAIN);
      return null;
    }
    if (s.peer) throw err(E.EISCONN);
    if (s.pending) throw err(E.EINVAL);
    const c = t.kernel.unixSockets.add(new UnixSocket(s.type, 0));
    c.embryo = true;
    c.address = other.address;
    UnixSocket.pair(s, c, other.peerCred, credOf(t));
    other.pending.push(c);
    other.queue.notify();
    return 0;
  };
  const now = attempt();
  return now !== null ? now : waitOn([listener!.queue], attempt, sockWait(s.sndTimeo, () => 0));
}

/** unix_dgram_connect: the default destination (and the only sender accepted); AF_UNSPEC dissolves it. */
function connectDgram(t: Task, s: UnixSocket, raw: Uint8Array): void {
  if (raw.length < 2) throw err(E.EINVAL);
  if (family(raw) === AF_UNSPEC) { s.redirect(null); return; }
  const other = t.kernel.unixNames.find(t, parseUnixAddress(raw), s.type);
  if (other.peer && other.peer !== s) throw err(E.EPERM);
  s.redirect(other);
}

/**
 * Where a sendto/sendmsg with an address goes (null: the peer). Streams refuse an address (EISCONN when
 * connected, else EOPNOTSUPP), seqpackets ignore it once connected, datagrams look it up.
 */
export function destination(t: Task, s: UnixSocket, raw: Uint8Array | null): UnixSocket | null {
  if (!raw || raw.length === 0) return null;
  if (s.type === SOCK.STREAM) throw err(s.peer ? E.EISCONN : E.EOPNOTSUPP);
  if (s.type === SOCK.SEQPACKET) { if (!s.peer) throw err(E.ENOTCONN); return null; }
  return t.kernel.unixNames.find(t, parseUnixAddress(raw), s.type);
}

/** getsockname/getpeername (unix_getname): the bound name, or just the family for an unnamed socket. */
export function sockName(s: UnixSocket, peer: boolean): Uint8Array {
  const x = peer ? s.peer : s;
  if (!x) throw err(E.ENOTCONN);
  return x.address?.bytes ?? UNNAMED;
}

/** The address a received message reports (recvfrom, recvmsg's msg_name): empty for an unnamed sender. */
export const senderName = (from: UnixSocket | null): Uint8Array => from?.address?.bytes ?? new Uint8Array(0);
