// AF_UNIX sockets (unix(7), net/unix/af_unix.c): connected pairs (socketpair) carry bytes — a stream, or
// records for SOCK_DGRAM/SOCK_SEQPACKET — with SCM_RIGHTS file passing and the peer's credentials.
// Binding and listening are not provided yet: connect() finds nobody (ENOENT for a missing path,
// ECONNREFUSED otherwise), exactly what a Linux without the server answers.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { O, S_IFSOCK } from '../fs/constants.js';
import { OpenFile, POLL, type IoResult } from '../fs/file.js';
import { WaitQueue, waitOn } from '../kernel/wait-queue.js';
import { type Stat, synthStat } from '../fs/stat.js';

export const AF_UNIX = 1;
export const SOCK = { STREAM: 1, DGRAM: 2, SEQPACKET: 5, NONBLOCK: O.NONBLOCK, CLOEXEC: O.CLOEXEC, TYPE_MASK: 0xf } as const;
const SOCKFS_DEV = 0x08;
/** Bytes a socket may hold unread before writers wait (near Linux's default 208 KiB buffers). */
export const SOCKET_BUFFER = 212992;
let nextIno = 30000;

/** One sendmsg's worth: its bytes and the files passed with them. */
export interface Message { data: Uint8Array; files: OpenFile[] | null; }
export interface Cred { pid: number; uid: number; gid: number; }

export class UnixSocket extends OpenFile {
  private readonly ino = nextIno++;
  readonly queue = new WaitQueue();
  peer: UnixSocket | null = null;
  peerCred: Cred | null = null;
  private readonly inbox: Message[] = [];
  private inboxBytes = 0;
  /** shutdown(2) halves, and the peer having closed its end. */
  shutRd = false;
  shutWr = false;
  peerGone = false;
  /** The peer closed with data of ours unread: the next operation reports ECONNRESET (unix_release_sock). */
  private pendingError = 0;

  constructor(readonly type: number, flags: number) { super(O.RDWR | (flags & O.NONBLOCK)); }

  override get stream(): boolean { return true; }
  stat(): Stat { return synthStat(SOCKFS_DEV, this.ino, S_IFSOCK | 0o777); }
  override anonName(): string { return `socket:[${this.ino}]`; }
  override get pollQueue(): WaitQueue { return this.queue; }
  override available(): number { return this.inboxBytes; }

  private get eof(): boolean { return this.shutRd || this.peerGone || (this.peer?.shutWr ?? false); }

  /** unix_poll / unix_dgram_poll. */
  override pollMask(): number {
    if (!this.peer) return POLL.OUT | POLL.WRNORM | POLL.WRBAND | (this.type === SOCK.DGRAM ? 0 : POLL.HUP);
    let m = 0;
    if (this.inboxBytes > 0 || this.inbox.length > 0) m |= POLL.IN | POLL.RDNORM;
    if (this.eof) m |= POLL.IN | POLL.RDNORM | POLL.RDHUP;
    if (this.peerGone || (this.shutRd && this.shutWr)) m |= POLL.HUP;
    if (!this.shutWr && !this.peerGone && this.peer.inboxBytes < SOCKET_BUFFER) m |= POLL.OUT | POLL.WRNORM | POLL.WRBAND;
    return m;
  }

  override read(buf: Uint8Array): IoResult {
    return this.receive([buf], 0, null);
  }

  override write(buf: Uint8Array): IoResult {
    return this.send(buf, null, 0);
  }

  /** Queue `data` (and files) on the peer; blocks while its buffer is full (stream sockets take what fits). */
  send(data: Uint8Array, files: OpenFile[] | null, flags: number): IoResult {
    const peer = this.peer;
    if (!peer) throw err(this.type === SOCK.DGRAM ? E.EDESTADDRREQ : E.ENOTCONN);
    if (this.type !== SOCK.STREAM && data.length > SOCKET_BUFFER) throw err(E.EMSGSIZE);
    let sent = 0;
    const attempt = (): number | null => {
      if (this.shutWr || this.peerGone || peer.shutRd) {
        if (sent > 0) return sent;
        throw err(this.takeError() || E.EPIPE);
      }
      const room = SOCKET_BUFFER - peer.inboxBytes;
      const need = this.type === SOCK.STREAM ? 1 : data.length;
      if (room < need && !(data.length === 0 && room >= 0)) return null;
      const n = this.type === SOCK.STREAM ? Math.min(room, data.length - sent) : data.length;
      peer.inbox.push({ data: Uint8Array.from(data.subarray(sent, sent + n)), files: sent === 0 ? files : null });
      peer.inboxBytes += n;
      sent += n;
      peer.queue.notify();
      return sent === data.length || this.nonblocking || flags & MSG_DONTWAIT ? sent : null;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking || flags & MSG_DONTWAIT) { if (sent > 0) return sent; throw err(E.EAGAIN); }
    return waitOn([this.queue, peer.queue], attempt, { onInterrupt: () => (sent > 0 ? sent : null) });
  }

  /**
   * Take bytes into `bufs`. Stream sockets merge messages but never across one that carries files (so the
   * files arrive with their first byte); record sockets take one message, truncating (MSG_TRUNC). Files
   * received go to `got` (recvmsg), or are dropped when the reader did not ask for them (read(2)).
   */
  receive(bufs: Uint8Array[], flags: number, got: { files: OpenFile[]; truncated: boolean } | null): IoResult {
    const want = bufs.reduce((n, b) => n + b.length, 0);
    const attempt = (): number | null => {
      if (this.inbox.length === 0) {
        if (!this.peer && this.type !== SOCK.DGRAM) throw err(E.ENOTCONN);
        if (this.eof || !this.peer) { const e = this.takeError(); if (e) throw err(e); return 0; }
        return null;
      }
      const n = this.type === SOCK.STREAM ? this.takeStream(bufs, want, flags, got) : this.takeRecord(bufs, flags, got);
      this.peer?.queue.notify();
      return n;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking || flags & MSG_DONTWAIT) throw err(E.EAGAIN);
    return waitOn([this.queue], attempt);
  }

  private takeStream(bufs: Uint8Array[], want: number, flags: number, got: { files: OpenFile[] } | null): number {
    let n = 0, i = 0;
    const peek = (flags & MSG_PEEK) !== 0;
    while (n < want && i < this.inbox.length) {
      const m = this.inbox[i];
      if (m.files && n > 0) break;
      const k = Math.min(m.data.length, want - n);
      scatter(bufs, n, m.data.subarray(0, k));
      n += k;
      if (m.files) { if (!peek) { deliverFiles(m.files, got); m.files = null; } }
      if (peek) { i++; continue; }
      if (k === m.data.length) this.inbox.shift(); else m.data = m.data.subarray(k);
    }
    if (!peek) this.inboxBytes -= n;
    return n;
  }

  private takeRecord(bufs: Uint8Array[], flags: number, got: { files: OpenFile[]; truncated: boolean } | null): number {
    const m = this.inbox[0];
    const cap = bufs.reduce((n, b) => n + b.length, 0);
    const k = Math.min(cap, m.data.length);
    scatter(bufs, 0, m.data.subarray(0, k));
    if (got && m.data.length > cap) got.truncated = true;
    if (!(flags & MSG_PEEK)) {
      this.inbox.shift();
      this.inboxBytes -= m.data.length;
      if (m.files) deliverFiles(m.files, got);
    }
    return flags & MSG_TRUNC ? m.data.length : k;
  }

  private takeError(): number { const e = this.pendingError; this.pendingError = 0; return e; }

  /** shutdown(2): SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2. */
  shutdown(how: number): void {
    if (!this.peer) throw err(E.ENOTCONN);
    if (how === 0 || how === 2) this.shutRd = true;
    if (how === 1 || how === 2) this.shutWr = true;
    this.queue.notify();
    this.peer.queue.notify();
  }

  /** connect(2) to a sockaddr_un: the path is looked up in the caller's tree; nobody listens yet. */
  connect(t: Task, addr: Uint8Array): never {
    if (this.peer) throw err(E.EISCONN);
    if (addr.length < 2 || (addr[0] | (addr[1] << 8)) !== AF_UNIX) throw err(E.EINVAL);
    const raw = addr.subarray(2);
    if (raw.length === 0) throw err(E.EINVAL);
    if (raw[0] === 0) throw err(E.ECONNREFUSED); // abstract namespace: no socket bound there
    const end = raw.indexOf(0);
    const path = Buffer.from(end < 0 ? raw : raw.subarray(0, end)).toString('latin1');
    t.kernel.vfs.lookup(t, path); // ENOENT, ENOTDIR, EACCES... as the path walk finds them
    throw err(E.ECONNREFUSED); // the file exists, but no socket of this instance listens on it
  }

  /** The last close: the peer sees EOF (or EPIPE on write); files still queued here are closed. */
  protected override release(): void {
    const unread = this.inbox.length > 0;
    for (const m of this.inbox) m.files?.forEach((f) => f.unref());
    this.inbox.length = 0;
    if (!this.peer) return;
    this.peer.peerGone = true;
    if (unread && this.type !== SOCK.DGRAM) this.peer.pendingError = E.ECONNRESET;
    this.peer.queue.notify();
  }
}

export const MSG_PEEK = 0x2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;

/** socketpair(2): two connected sockets, each knowing the creator's credentials as its peer's. */
export function socketPair(type: number, flags: number, cred: Cred): [UnixSocket, UnixSocket] {
  const a = new UnixSocket(type, flags), b = new UnixSocket(type, flags);
  a.peer = b; b.peer = a;
  a.peerCred = b.peerCred = cred;
  return [a, b];
}

function scatter(bufs: Uint8Array[], at: number, data: Uint8Array): void {
  let off = 0;
  for (const b of bufs) {
    if (at >= b.length) { at -= b.length; continue; }
    const k = Math.min(b.length - at, data.length - off);
    b.set(data.subarray(off, off + k), at);
    off += k;
    at = 0;
    if (off >= data.length) return;
  }
}

function deliverFiles(files: OpenFile[], got: { files: OpenFile[] } | null): void {
  if (got) got.files.push(...files); else files.forEach((f) => f.unref());
}
