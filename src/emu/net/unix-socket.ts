// AF_UNIX sockets (unix(7), net/unix/af_unix.c): the socket object and its data path — bytes for SOCK_STREAM,
// records for SOCK_DGRAM/SOCK_SEQPACKET — with SCM_RIGHTS file passing, shutdown and the peer's credentials.
// Names live in unix-names.ts, connection set-up (listen/accept/connect) in unix-connect.ts.
import { E, err } from '../kernel/errno.js';
import { O, S_IFSOCK } from '../fs/constants.js';
import { OpenFile, POLL, type IoResult } from '../fs/file.js';
import { WaitQueue, type WaitOptions, current, waitOn } from '../kernel/wait-queue.js';
import type { KTask } from '../kernel/thread.js';
import { type Stat, synthStat } from '../fs/stat.js';
import type { UnixAddress } from './unix-address.js';

export { AF_UNIX } from './unix-address.js';
export const SOCK = { STREAM: 1, DGRAM: 2, SEQPACKET: 5, NONBLOCK: O.NONBLOCK, CLOEXEC: O.CLOEXEC, TYPE_MASK: 0xf } as const;
export const MSG_OOB = 0x1, MSG_PEEK = 0x2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000;
/** sk_shutdown bits: RCV_SHUTDOWN, SEND_SHUTDOWN. */
export const RCV = 1, SEND = 2;
const SOCKFS_DEV = 0x08;
/** Bytes a socket may hold unread before writers wait (near Linux's default 208 KiB buffers). */
export const SOCKET_BUFFER = 212992;
/** net.unix.max_dgram_qlen: datagrams queued from senders that are not the receiver's peer. */
const MAX_DGRAM_QLEN = 10;
let nextIno = 30000;

/** One sendmsg's worth: its bytes, the files passed with them, and who sent it (recvfrom's address). */
export interface Message { data: Uint8Array; files: OpenFile[] | null; from: UnixSocket; }
export interface Cred { pid: number; uid: number; gid: number; }
/** What a receive hands back besides bytes: files (null: drop them), truncation, the sender. */
export interface Received { files: OpenFile[] | null; truncated: boolean; from: UnixSocket | null; }

export class UnixSocket extends OpenFile {
  private readonly ino = nextIno++;
  readonly queue = new WaitQueue();
  /** Connected peer (a dgram socket's default destination). Survivors keep pointing at a closed peer, as Linux. */
  peer: UnixSocket | null = null;
  /** SO_PEERCRED: the peer's credentials at connect time (a listener's own, from listen). */
  peerCred: Cred | null = null;
  /** The bound name (a connection accepted from a listener carries the listener's). */
  address: UnixAddress | null = null;
  /** Listening: connections made and not yet accepted (null otherwise), and how many may wait beyond one. */
  pending: UnixSocket[] | null = null;
  backlog = 0;
  /** Released (SOCK_DEAD): the last close happened. */
  dead = false;
  /** sk_state TCP_ESTABLISHED: connected (a datagram socket also once another connected to it), kept after the peer left. */
  established = false;
  /** A connection made on a listener and not yet accepted: no socket (file) of its own yet, inode 0 in /proc/net/unix. */
  embryo = false;
  /** SO_RCVTIMEO / SO_SNDTIMEO in ms (Infinity: none; 0: give up at once). */
  rcvTimeo = Infinity;
  sndTimeo = Infinity;
  /** sk_shutdown: RCV and SEND bits, from shutdown(2) here or at the peer, or the peer's close. */
  shut = 0;
  private readonly inbox: Message[] = [];
  private inboxBytes = 0;
  /** sk_err: reported once by the next receive (ECONNRESET when the peer closed with data of ours unread). */
  private pendingError = 0;

  constructor(readonly type: number, flags: number) { super(O.RDWR | (flags & O.NONBLOCK)); }

  override get stream(): boolean { return true; }
  stat(): Stat { return synthStat(SOCKFS_DEV, this.ino, S_IFSOCK | 0o777); }
  override anonName(): string { return `socket:[${this.ino}]`; }
  override get pollQueue(): WaitQueue { return this.queue; }
  override available(): number { return this.inboxBytes; }
  get listening(): boolean { return this.pending !== null; }
  get inode(): number { return this.ino; }

  /** unix_poll (stream) and unix_dgram_poll (dgram, seqpacket). */
  override pollMask(): number {
    let m = this.pendingError ? POLL.ERR : 0;
    if (this.shut === (RCV | SEND)) m |= POLL.HUP;
    if (this.shut & RCV) m |= POLL.RDHUP | POLL.IN | POLL.RDNORM;
    if (this.inbox.length > 0 || (this.pending?.length ?? 0) > 0) m |= POLL.IN | POLL.RDNORM;
    if (this.type !== SOCK.DGRAM && !this.peer && !this.listening) m |= POLL.HUP;
    const p = this.peer;
    const blocked = p !== null && !p.dead && (p.inboxBytes >= SOCKET_BUFFER || this.queueFull(p));
    if (!this.listening && !blocked) m |= POLL.OUT | POLL.WRNORM | POLL.WRBAND;
    return m;
  }

  /** A receiver refuses datagrams from non-peers past max_dgram_qlen (unix_recvq_full). */
  private queueFull(to: UnixSocket): boolean {
    return this.type === SOCK.DGRAM && to.peer !== this && to.inbox.length > MAX_DGRAM_QLEN;
  }

  override read(buf: Uint8Array): IoResult { return this.receive([buf], 0, null); }
  override write(buf: Uint8Array): IoResult { return this.send(buf, null, 0, null); }

  /**
   * Queue `data` (and files) on the peer, or on `to` (a datagram's destination, see unix-connect.ts). Blocks while the
   * receiver is full; stream sockets take what fits. Errors as unix_stream_sendmsg / unix_dgram_sendmsg.
   */
  send(data: Uint8Array, files: OpenFile[] | null, flags: number, to: UnixSocket | null): IoResult {
    if (flags & MSG_OOB) throw err(E.EOPNOTSUPP, 'MSG_OOB: AF_UNIX out-of-band data');
    if (!to && !this.peer) throw err(E.ENOTCONN);
    const t = current() as KTask | null;
    if (t && this.type !== SOCK.STREAM) t.noSigpipe = true; // only unix_stream_sendmsg raises SIGPIPE
    if (this.type !== SOCK.STREAM && data.length > SOCKET_BUFFER - 32) throw err(E.EMSGSIZE);
    const nowait = this.nonblocking || (flags & MSG_DONTWAIT) !== 0;
    let sent = 0;
    const attempt = (): number | null => {
      const peer = to ?? this.peer;
      if (!peer) throw err(E.ENOTCONN);
      const pipe = (): number => { if (sent > 0) return sent; throw err(E.EPIPE); };
      if (this.type === SOCK.STREAM && (this.shut & SEND)) return pipe();
      const e = sent === 0 ? this.takeError() : 0; // sock_alloc_send_pskb reports sk_err first
      if (e) throw err(e);
      if (this.shut & SEND) return pipe();
      if (this.type === SOCK.DGRAM) {
        if (peer.peer && peer.peer !== this) throw err(E.EPERM); // unix_may_send
        if (peer.dead) {
          if (peer === this.peer) this.redirect(null); // the datagram peer is gone: unconnected now
          throw err(E.ECONNREFUSED);
        }
      }
      if (peer.dead || (peer.shut & RCV)) return pipe();
      if (this.queueFull(peer)) return null;
      const room = SOCKET_BUFFER - peer.inboxBytes;
      const need = this.type === SOCK.STREAM ? 1 : data.length;
      if (room < need && !(data.length === 0 && room >= 0)) return null;
      const n = this.type === SOCK.STREAM ? Math.min(room, data.length - sent) : data.length;
      peer.inbox.push({ data: Uint8Array.from(data.subarray(sent, sent + n)), files: sent === 0 ? files : null, from: this });
      peer.inboxBytes += n;
      sent += n;
      peer.queue.notify();
      return sent === data.length || nowait ? sent : null;
    };
    const now = attempt();
    if (now !== null) return now;
    if (nowait) { if (sent > 0) return sent; throw err(E.EAGAIN); }
    const peer = to ?? this.peer!;
    return waitOn([this.queue, peer.queue], attempt, sockWait(this.sndTimeo, () => sent));
  }

  /**
   * Take bytes into `bufs`. Stream sockets merge messages but never across one that carries files (so the
   * files arrive with their first byte); record sockets take one message, truncating (MSG_TRUNC).
   */
  receive(bufs: Uint8Array[], flags: number, got: Received | null): IoResult {
    if (this.type === SOCK.STREAM && !this.peer) throw err(E.EINVAL); // not established (listening included)
    if (this.type === SOCK.SEQPACKET && !this.peer) throw err(E.ENOTCONN);
    if (flags & MSG_OOB) throw err(this.type === SOCK.STREAM ? E.EINVAL : E.EOPNOTSUPP); // no out-of-band byte is ever queued
    const want = bufs.reduce((n, b) => n + b.length, 0);
    // MSG_WAITALL: a stream read goes on until `want` bytes, end of file, an error, a signal or passed files
    const waitall = this.type === SOCK.STREAM && (flags & (MSG_WAITALL | MSG_PEEK)) === MSG_WAITALL;
    let total = 0;
    const attempt = (): number | null => {
      if (this.inbox.length === 0) {
        const e = this.takeError();
        if (total > 0 && (e || this.shut & RCV)) return total;
        if (e) throw err(e);
        return this.shut & RCV ? 0 : null;
      }
      if (got && total === 0) got.from = this.inbox[0].from;
      let files = false;
      if (this.type === SOCK.STREAM) {
        const r = this.takeStream(bufs, total, want, flags, got);
        total += r.n;
        files = r.files;
      } else total = this.takeRecord(bufs, flags, got);
      this.queue.notify(); // senders waiting for room
      this.peer?.queue.notify();
      return waitall && total < want && !files ? null : total;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking || flags & MSG_DONTWAIT) { if (total > 0) return total; throw err(E.EAGAIN); }
    return waitOn([this.queue], attempt, sockWait(this.rcvTimeo, () => total));
  }

  /** Stream bytes into `bufs` from offset `at`; stops after a message that carried files (unix_stream_read_generic). */
  private takeStream(bufs: Uint8Array[], at: number, want: number, flags: number, got: Received | null): { n: number; files: boolean } {
    let n = 0, i = 0;
    const peek = (flags & MSG_PEEK) !== 0;
    while (at + n < want && i < this.inbox.length) {
      const m = this.inbox[i];
      if (m.files && at + n > 0) break;
      const k = Math.min(m.data.length, want - at - n);
      scatter(bufs, at + n, m.data.subarray(0, k));
      n += k;
      const files = m.files !== null;
      if (files && !peek) { deliverFiles(m.files!, got); m.files = null; }
      if (peek) i++;
      else if (k === m.data.length) this.inbox.shift();
      else m.data = m.data.subarray(k);
      if (files) return this.took(n, peek, true);
    }
    return this.took(n, peek, false);
  }

  private took(n: number, peek: boolean, files: boolean): { n: number; files: boolean } {
    if (!peek) this.inboxBytes -= n;
    return { n, files };
  }

  private takeRecord(bufs: Uint8Array[], flags: number, got: Received | null): number {
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

  /** sock_error (also SO_ERROR): the pending error, cleared. */
  takeError(): number { const e = this.pendingError; this.pendingError = 0; return e; }

  /** shutdown(2) (unix_shutdown): SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2; a connection's peer gets the mirror image. */
  shutdown(how: number): void {
    const mode = how + 1;
    this.shut |= mode;
    const p = this.peer;
    if (p && this.type !== SOCK.DGRAM) {
      p.shut |= ((mode & RCV) ? SEND : 0) | ((mode & SEND) ? RCV : 0);
      p.queue.notify();
    }
    this.queue.notify();
  }

  /**
   * A datagram socket's new default peer (null: none). Leaving a peer drops what was queued here, and a live old
   * peer connected back to us learns it with ECONNRESET (unix_dgram_disconnected).
   */
  redirect(to: UnixSocket | null): void {
    const old = this.peer;
    this.peer = to;
    // unix_dgram_connect: both ends become established; a socket left with no peer of its own closes
    this.established = to !== null;
    if (to) to.established = true;
    if (old && old !== to && !old.peer) old.established = false;
    if (!old || old === to || this.inbox.length === 0) return;
    this.dropInbox();
    this.queue.notify();
    if (!old.dead && old.peer === this) { old.pendingError = E.ECONNRESET; old.queue.notify(); }
  }

  /** Join a connection's two ends (socketpair, connect). */
  static pair(a: UnixSocket, b: UnixSocket, aSeesCred: Cred | null, bSeesCred: Cred | null): void {
    a.peer = b; b.peer = a;
    a.established = b.established = true;
    a.peerCred = aSeesCred; b.peerCred = bSeesCred;
  }

  protected override release(): void { this.teardown(false); }

  /**
   * unix_release_sock: a connection's survivor sees end of file, and ECONNRESET when it had data here unread
   * or this was a connection never accepted (`embryo`); connections waiting on a listener are reset.
   */
  teardown(embryo: boolean): void {
    this.dead = true;
    const unread = this.inbox.length > 0;
    this.dropInbox();
    for (const c of this.pending?.splice(0) ?? []) c.teardown(true);
    const p = this.peer;
    this.peer = null;
    if (p && this.type !== SOCK.DGRAM) {
      p.shut = RCV | SEND;
      if (unread || embryo) p.pendingError = E.ECONNRESET;
    }
    p?.queue.notify();
    this.queue.notify();
  }

  private dropInbox(): void {
    for (const m of this.inbox) m.files?.forEach((f) => f.unref());
    this.inbox.length = 0;
    this.inboxBytes = 0;
  }
}

/**
 * How a socket call's wait ends (sock_rcvtimeo, sock_intr_errno): `done()` is what it already moved, returned
 * if any. With a timeout the wait ends in EAGAIN when it passes, and a signal gives EINTR, never a restart.
 */
export function sockWait(timeoMs: number, done: () => number): WaitOptions {
  const partial = (): number | null => (done() > 0 ? done() : null);
  if (timeoMs === Infinity) return { onInterrupt: partial };
  const timeout = (): number => { const n = partial(); if (n === null) throw err(E.EAGAIN); return n; };
  return { timeoutMs: timeoMs, onTimeout: timeout, interruptErrno: E.EINTR, onInterrupt: partial };
}

/** socketpair(2): two connected sockets, each knowing the creator's credentials as its peer's. */
export function socketPair(type: number, flags: number, cred: Cred): [UnixSocket, UnixSocket] {
  const a = new UnixSocket(type, flags), b = new UnixSocket(type, flags);
  UnixSocket.pair(a, b, cred, cred);
  return [a, b];
}

/** Copy `data` into the buffers `bufs` from byte `at` on. */
export function scatter(bufs: Uint8Array[], at: number, data: Uint8Array): void {
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

function deliverFiles(files: OpenFile[], got: Received | null): void {
  if (got?.files) got.files.push(...files); else files.forEach((f) => f.unref());
}
