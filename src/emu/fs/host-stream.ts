// The host's standard streams (fd 0, 1, 2) as guest files, for the first process of a session.
// Files that never block (a redirect from a regular file, /dev/null) are read and written synchronously.
// Pipes, sockets and terminals read through a HostReader (background host reads, interruptible guest
// waits, real poll readiness). A host regular file's offset is the host's own: the description is shared
// with the other standard streams redirected to it (2>&1) and with the host shell that opened it, as on
// Linux. Writes are synchronous and full; when a non-blocking host fd says EAGAIN, the rest goes through a
// libuv stream and the guest waits for it (no polling). ioctl answers ENOTTY:
// terminal semantics belong to the tty layer, which wraps these streams.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { isatty } from 'node:tty';
import { getSystemErrorName } from 'node:util';
import { E, err, fromHostError } from '../kernel/errno.js';
import { type WaitQueue, waitOn } from '../kernel/wait-queue.js';
import { O, SEEK_CUR, SEEK_END, SEEK_SET, S_IFIFO, S_IFMT, S_IFSOCK, isReg } from './constants.js';
import { OpenFile, POLL, type IoResult } from './file.js';
import { toStat } from './hostfs/host-stat.js';
import { HostReader, uvStream } from './host-reader.js';
import { loadNative } from '../cpu/native.js';
import type { Stat } from './stat.js';

const isEagain = (e: unknown): boolean => ['EAGAIN', 'EWOULDBLOCK'].includes((e as NodeJS.ErrnoException)?.code ?? '');

/** The host fd's access mode (Linux hosts: /proc/self/fdinfo); read-write when it cannot be known. */
function hostAccessMode(fd: number): number {
  try {
    const m = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    if (m) return parseInt(m[1], 8) & O.ACCMODE;
  } catch { /* not a Linux host */ }
  return O.RDWR;
}

export class HostStream extends OpenFile {
  /** Pipes, sockets, terminals: reads go through the reader (null for files that never block). */
  private readonly reader: HostReader | null;
  private readonly kind: number;
  /** A write that met EAGAIN finishing through libuv; later writes queue behind it. */
  private writing: Promise<unknown> | null = null;

  constructor(readonly hostFd: number, flags: number = hostAccessMode(hostFd)) {
    super(flags);
    let mode = 0;
    try { mode = fs.fstatSync(hostFd).mode; } catch { /* a closed fd: errors come with the first use */ }
    this.kind = mode & S_IFMT;
    const terminal = isatty(hostFd);
    this.reader = this.readable && (terminal || this.kind === S_IFIFO || this.kind === S_IFSOCK)
      ? new HostReader(hostFd, terminal) : null;
  }

  override get stream(): boolean { return true; }
  get isTerminal(): boolean { return isatty(this.hostFd); }
  /** A host socket (its names and options: net/host-socket.ts). */
  get isSocket(): boolean { return this.kind === S_IFSOCK; }

  stat(): Stat {
    try { return toStat(fs.fstatSync(this.hostFd, { bigint: true })); } catch (e) { throw fromHostError(e); }
  }

  override read(buf: Uint8Array): IoResult {
    if (buf.length === 0) return 0;
    const r = this.reader;
    if (!r) return this.readSync(buf);
    const attempt = (): number | null => {
      if (r.ready) return r.take(buf);
      r.demand(buf.length);
      return null;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking) throw err(E.EAGAIN);
    return waitOn([r.queue], attempt);
  }

  private readSync(buf: Uint8Array): number {
    try {
      const n = fs.readSync(this.hostFd, buf, 0, buf.length, null);
      this.notePos();
      return n;
    } catch (e) { throw fromHostError(e); }
  }

  /** The host's offset of a regular file, kept in `pos` for /proc/PID/fdinfo. */
  private notePos(): void {
    if (isReg(this.kind)) this.pos = this.hostSeek(0, SEEK_CUR);
  }

  private hostSeek(off: number, whence: number): number {
    const r = loadNative().hostSeek(this.hostFd, off, whence);
    if (r < 0) throw fromHostError({ code: getSystemErrorName(r) }); // the host errno by name, as node:fs reports
    return r;
  }

  override get pollQueue(): WaitQueue | null { return this.reader?.queue ?? null; }

  /**
   * Readable with buffered bytes or at EOF (a pipe's EOF is POLLHUP). A poll that asks for input starts a
   * background read (only then: a poll of stdout's socket for POLLOUT must not read from it).
   */
  override pollMask(events = POLL.IN): number {
    const r = this.reader;
    if (!r) return super.pollMask();
    let m = this.writable && !this.writing ? POLL.OUT | POLL.WRNORM : 0;
    const input = (events & (POLL.IN | POLL.RDNORM | POLL.RDBAND | POLL.PRI)) !== 0;
    if (!r.ready && input) r.demand(65536, true);
    if (r.buffered > 0 || (r.ready && !r.atEof)) m |= POLL.IN | POLL.RDNORM;
    if (r.atEof) m |= this.kind === S_IFIFO ? POLL.HUP : POLL.IN | POLL.RDNORM | POLL.RDHUP;
    if (!r.ready && input) m |= this.hostReadiness();
    return m;
  }

  /**
   * What the host says of the fd now, while our background read has nothing yet: data or EOF already
   * waiting there makes a zero-timeout poll true at once, as on Linux (bash's `read -t 0`, select with 0).
   */
  private hostReadiness(): number {
    const bits = loadNative().hostPoll(this.hostFd);
    if (bits <= 0) return 0;
    return (bits & POLL.IN ? POLL.IN | POLL.RDNORM : 0) | (bits & (POLL.HUP | POLL.ERR));
  }

  override available(): number | null {
    if (this.reader) return this.reader.buffered;
    const st = this.stat();
    return isReg(st.mode) ? Math.max(0, st.size - this.hostSeek(0, SEEK_CUR)) : null;
  }

  /** Full writes; a broken pipe is EPIPE (the kernel raises SIGPIPE). */
  override write(buf: Uint8Array): IoResult {
    if (this.writing) return this.finishWrite(Uint8Array.from(buf));
    let done = 0;
    try {
      while (done < buf.length) done += this.writeSome(buf.subarray(done));
      return done;
    } catch (e) {
      if (!isEagain(e)) throw fromHostError(e);
      if (this.nonblocking) { if (done > 0) return done; throw err(E.EAGAIN); }
      return this.finishWrite(Uint8Array.from(buf.subarray(done))).then((n) => done + n);
    }
  }

  /** The rest of a write through a libuv stream over the fd: it waits for the host to drain, no polling. */
  private finishWrite(rest: Uint8Array): Promise<number> {
    const prev = this.writing ?? Promise.resolve();
    const p = prev.then(() => new Promise<number>((resolve, reject) => {
      let w: net.Socket;
      try { w = uvStream(this.hostFd, this.isTerminal, false); } catch (e) { reject(fromHostError(e)); return; }
      w.write(rest, (e) => (e ? reject(fromHostError(e)) : resolve(rest.length)));
    }));
    const mine = p.catch(() => undefined).then(() => { if (this.writing === mine) this.writing = null; });
    this.writing = mine;
    return p;
  }

  private writeSome(b: Uint8Array): number {
    const n = fs.writeSync(this.hostFd, b, 0, b.length, null);
    this.notePos();
    return n;
  }

  /**
   * pread/pwrite: a redirect to or from a host regular file is a regular file to the guest, so positional
   * I/O works there (coreutils cat copies with copy_file_range into a file-backed stdout); others: ESPIPE.
   */
  override pread(buf: Uint8Array, pos: number): number {
    this.regularOnly();
    try { return fs.readSync(this.hostFd, buf, 0, buf.length, pos); } catch (e) { throw fromHostError(e); }
  }

  override pwrite(buf: Uint8Array, pos: number): number {
    this.regularOnly();
    try { return fs.writeSync(this.hostFd, buf, 0, buf.length, pos); } catch (e) { throw fromHostError(e); }
  }

  private regularOnly(): void {
    if (!isReg(this.stat().mode)) throw err(E.ESPIPE);
  }

  /**
   * lseek works when the host stream is a regular file (a redirect from a file), on the host's offset;
   * pipes and ttys: ESPIPE. SEEK_DATA/SEEK_HOLE: EINVAL.
   */
  override seek(off: number, whence: number): number {
    this.regularOnly();
    if (whence !== SEEK_SET && whence !== SEEK_CUR && whence !== SEEK_END) throw err(E.EINVAL);
    return (this.pos = this.hostSeek(off, whence));
  }

  /** Opening /proc/self/fd/N again: a socket cannot be opened (sock_no_open: ENXIO). */
  override reopen(flags: number): OpenFile {
    if (this.kind === S_IFSOCK) throw err(E.ENXIO);
    return new HostStream(this.hostFd, flags);
  }

  /** /proc/self/fd/N: the host's own description of a pipe or socket, else a terminal or anonymous name. */
  override anonName(): string {
    try {
      const l = fs.readlinkSync(`/proc/self/fd/${this.hostFd}`);
      if (/^(pipe|socket):\[\d+\]$/.test(l) || l === '/dev/null') return l;
    } catch { /* not a Linux host */ }
    return this.isTerminal ? '/dev/pts/0' : `anon_inode:[host-fd-${this.hostFd}]`;
  }
}
