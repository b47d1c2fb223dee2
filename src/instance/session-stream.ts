// A session's standard streams inside the kernel: guest files fed by (and feeding) the client's socket.
// Flow control is credit based (protocol/messages.ts WINDOW), so every buffer on the path is bounded:
//  - stdin: the client may send only what we granted; the first grant is made when a Linux process first
//    reads or polls stdin, so a command that never reads stdin never consumes the caller's input.
//  - stdout/stderr: a Linux write is sent at once while fewer than WINDOW bytes are unacknowledged;
//    beyond that the writer blocks (interruptibly) until the client has written the bytes out and acked.
// They look like pipes to Linux (S_IFIFO); a terminal session wraps them in the tty layer instead.
import { E, err } from '../emu/kernel/errno.js';
import { WaitQueue, waitOn } from '../emu/kernel/wait-queue.js';
import { O, S_IFIFO } from '../emu/fs/constants.js';
import { OpenFile, POLL, type IoResult } from '../emu/fs/file.js';
import { type Stat, synthStat } from '../emu/fs/stat.js';
import { DATA_CHUNK, WINDOW } from '../interop/protocol/messages.js';
import { ByteQueue } from '../emu/fs/byte-queue.js';

const PIPEFS_DEV = 0x0d;
const PIPE_BUF = 4096;
let nextIno = 1 << 20;

abstract class SessionStream extends OpenFile {
  readonly ino = nextIno++;
  readonly queue = new WaitQueue();
  override get stream(): boolean { return true; }
  override get pollQueue(): WaitQueue { return this.queue; }
  stat(): Stat { return synthStat(PIPEFS_DEV, this.ino, S_IFIFO | 0o600, { blksize: PIPE_BUF }); }
  override anonName(): string { return `pipe:[${this.ino}]`; }
  /** open(/dev/stdin), /proc/self/fd/N: the same stream, as Linux reopens a pipe (fs/pipe.c fifo_open). */
  override reopen(flags: number): OpenFile {
    const want = flags & O.ACCMODE;
    if (want !== O.RDWR && (want === O.RDONLY) !== this.readable) throw err(E.EACCES);
    return this;
  }
}

export class SessionInput extends SessionStream {
  private readonly buffer = new ByteQueue();
  private get size(): number { return this.buffer.size; }
  private eof = false;
  /** Bytes the client may still send; granted + size never exceeds WINDOW. */
  private granted = 0;
  private started = false;

  /** grant(n): send the client n more bytes of credit. */
  constructor(private readonly grant: (n: number) => void) { super(O.RDONLY); }

  /** Bytes from the client; false when it sent more than its credit (a protocol violation). */
  push(b: Buffer): boolean {
    if (this.eof || b.length > this.granted) return false;
    this.granted -= b.length;
    this.buffer.push(b);
    this.queue.notify();
    return true;
  }

  /** The client's stdin ended, or the client is gone. */
  end(): void { this.eof = true; this.queue.notify(); }

  override available(): number { return this.size; }

  override pollMask(): number {
    this.start();
    return (this.size > 0 ? POLL.IN | POLL.RDNORM : 0) | (this.eof ? POLL.HUP : 0);
  }

  override read(buf: Uint8Array): IoResult {
    this.start();
    const attempt = (): number | null => {
      if (this.size > 0 || buf.length === 0) return this.take(buf);
      return this.eof ? 0 : null;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking) throw err(E.EAGAIN);
    return waitOn([this.queue], attempt);
  }

  private start(): void {
    if (this.started || this.eof) return;
    this.started = true;
    this.topUp();
  }

  private take(buf: Uint8Array): number {
    const n = this.buffer.take(buf);
    this.topUp();
    return n;
  }

  /** Re-grant consumed credit in batches (half a window) rather than one ACK per small read. */
  private topUp(): void {
    if (this.eof) return;
    const more = WINDOW - this.granted - this.size;
    if (more >= WINDOW / 2 || (this.granted === 0 && more > 0)) {
      this.granted += more;
      this.grant(more);
    }
  }
}

export class SessionOutput extends SessionStream {
  private inflight = 0;
  private gone = false;

  /** send(bytes): one DATA frame to the client; released(): every Linux writer closed it. */
  constructor(private readonly send: (bytes: Uint8Array) => void, private readonly released: () => void) {
    super(O.WRONLY);
  }

  /** The client wrote n bytes out. */
  ack(n: number): void { this.inflight = Math.max(0, this.inflight - n); this.queue.notify(); }
  /** The client's stream is gone (host EPIPE, or the client itself): writers get EPIPE from now on. */
  close(): void { this.gone = true; this.queue.notify(); }

  override pollMask(): number {
    return (WINDOW - this.inflight >= PIPE_BUF ? POLL.OUT | POLL.WRNORM : 0) | (this.gone ? POLL.ERR : 0);
  }

  override write(buf: Uint8Array): IoResult {
    let done = 0;
    const attempt = (): number | null => {
      if (this.gone) {
        if (done > 0) return done;
        throw err(E.EPIPE);
      }
      while (done < buf.length && this.inflight < WINDOW) {
        const n = Math.min(buf.length - done, WINDOW - this.inflight, DATA_CHUNK);
        this.send(buf.subarray(done, done + n));
        this.inflight += n;
        done += n;
      }
      return done === buf.length || this.nonblocking ? done : null;
    };
    const now = attempt();
    if (now !== null) {
      if (now === 0 && buf.length > 0) throw err(E.EAGAIN);
      return now;
    }
    return waitOn([this.queue], attempt, { onInterrupt: () => (done > 0 ? done : null) });
  }

  protected override release(): void { this.released(); }
}
