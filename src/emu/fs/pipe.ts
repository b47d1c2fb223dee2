// Pipes (pipe(7), fs/pipe.c): a 64 KiB buffer between a read end and a write end. Writes of at most
// PIPE_BUF bytes are atomic; a read returns what is there; no writers left → EOF; no readers → EPIPE.
// Named pipes (fifo(7), fs/pipe.c fifo_open) share one pipe among the openers of a FIFO node.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { WaitQueue, waitOn } from '../kernel/wait-queue.js';
import { O, S_IFIFO } from './constants.js';
import type { Dentry } from './dentry.js';
import { OpenFile, POLL, type IoResult } from './file.js';
import { ByteQueue } from './byte-queue.js';
import { type Stat, synthStat } from './stat.js';

export const PIPE_BUF = 4096;
const DEFAULT_CAPACITY = 65536;
const PIPEFS_DEV = 0x0d;
let nextIno = 1000;

/** The pipe itself (struct pipe_inode_info), shared by its ends; splice(2) and tee(2) work on it directly. */
export class Pipe {
  readonly ino = nextIno++;
  capacity = DEFAULT_CAPACITY;
  readers = 0;
  writers = 0;
  /** Opens of each side so far: a blocked FIFO open sees a partner that came and went (r_counter, w_counter). */
  readOpens = 0;
  writeOpens = 0;
  /** Called when the last end closes (a FIFO forgets its pipe then, discarding unread data). */
  onUnused: (() => void) | null = null;
  /** Readers and writers waiting for the other side, and pollers. */
  readonly queue = new WaitQueue();
  private readonly buffer = new ByteQueue();
  get size(): number { return this.buffer.size; }
  get room(): number { return Math.max(0, this.capacity - this.buffer.size); }

  take(buf: Uint8Array): number { return this.buffer.take(buf); }
  peek(buf: Uint8Array): number { return this.buffer.peek(buf); }
  put(data: Uint8Array): void { this.buffer.push(Uint8Array.from(data)); } // copied: data is a view of guest memory
}

export class PipeEnd extends OpenFile {
  /** `dentry`: the FIFO node a named pipe was opened through (null for pipe(2)). An O_RDWR end is both. */
  constructor(readonly pipe: Pipe, flags: number, dentry: Dentry | null = null) {
    super(flags, dentry);
    if (this.readable) { pipe.readers++; pipe.readOpens++; }
    if (this.writable) { pipe.writers++; pipe.writeOpens++; }
    pipe.queue.notify();
  }

  override get stream(): boolean { return true; }
  stat(): Stat {
    return this.dentry?.node.stat() ?? synthStat(PIPEFS_DEV, this.pipe.ino, S_IFIFO | 0o600, { blksize: 4096 });
  }
  override anonName(): string { return `pipe:[${this.pipe.ino}]`; }
  override available(): number { return this.pipe.size; }
  override get pollQueue(): WaitQueue { return this.pipe.queue; }

  /** fs/pipe.c pipe_poll: readable with data or no writers (HUP); writable with PIPE_BUF room; ERR with no readers. */
  override pollMask(): number {
    const p = this.pipe;
    if (this.readable) return (p.size > 0 ? POLL.IN | POLL.RDNORM : 0) | (p.writers === 0 ? POLL.HUP : 0);
    return (p.capacity - p.size >= PIPE_BUF ? POLL.OUT | POLL.WRNORM : 0) | (p.readers === 0 ? POLL.ERR : 0);
  }
  get capacity(): number { return this.pipe.capacity; }

  override read(buf: Uint8Array): IoResult {
    const attempt = (): number | null => {
      if (this.pipe.size > 0 || buf.length === 0) {
        const n = this.pipe.take(buf);
        this.pipe.queue.notify();
        return n;
      }
      return this.pipe.writers === 0 ? 0 : null;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking) throw err(E.EAGAIN);
    return waitOn([this.pipe.queue], attempt);
  }

  override write(buf: Uint8Array): IoResult {
    let done = 0;
    const atomic = buf.length <= PIPE_BUF;
    const attempt = (): number | null => {
      if (this.pipe.readers === 0) {
        if (done > 0) return done;
        throw err(E.EPIPE);
      }
      const room = this.pipe.capacity - this.pipe.size;
      if (room <= 0 || (atomic && room < buf.length)) return null;
      const n = Math.min(room, buf.length - done);
      this.pipe.put(buf.subarray(done, done + n));
      done += n;
      this.pipe.queue.notify();
      return done === buf.length || this.nonblocking ? done : null;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking) {
      if (done > 0) return done;
      throw err(E.EAGAIN);
    }
    return waitOn([this.pipe.queue], attempt, { onInterrupt: () => (done > 0 ? done : null) });
  }

  override ioctl(t: Task, req: number, arg: number): IoResult {
    if (req === 0x541b) { t.mem.writeI32(arg, this.pipe.size); return 0; } // FIONREAD
    return super.ioctl(t, req, arg);
  }

  /** F_SETPIPE_SZ: rounded up to a power of two pages, at least the bytes already buffered (EBUSY). */
  setCapacity(size: number): number {
    if (size > 1048576) throw err(E.EPERM);
    let cap = 4096;
    while (cap < size) cap *= 2;
    if (cap < this.pipe.size) throw err(E.EBUSY);
    this.pipe.capacity = cap;
    this.pipe.queue.notify();
    return cap;
  }

  override reopen(flags: number): OpenFile { return new PipeEnd(this.pipe, flags & ~O.CREAT); }

  /**
   * A blocking FIFO open waits for the other side (fifo_open's wait_for_partner): a reader for a writer,
   * a writer for a reader; null when there is nothing to wait for.
   */
  override openWait(): IoResult | null {
    const p = this.pipe;
    // pipe(2)'s ends, even reopened through /proc/self/fd, never wait (fifo_open's is_pipe)
    if (this.dentry === null || this.nonblocking || (this.readable && this.writable)) return null;
    const reader = this.readable;
    const seen = reader ? p.writeOpens : p.readOpens;
    const present = (): boolean => (reader ? p.writers > 0 || p.writeOpens !== seen : p.readers > 0 || p.readOpens !== seen);
    if (present()) return null;
    return waitOn([p.queue], () => (present() ? 0 : null));
  }

  protected override release(): void {
    const p = this.pipe;
    if (this.readable) p.readers--;
    if (this.writable) p.writers--;
    p.queue.notify();
    if (p.readers === 0 && p.writers === 0) p.onUnused?.();
  }
}

/** The pipes of FIFO nodes, keyed by the node's identity in its filesystem (an inode number). */
export class FifoPipes<K> {
  private readonly pipes = new Map<K, Pipe>();

  /** open(2) of a FIFO: O_NONBLOCK|O_WRONLY without a reader is ENXIO; the caller waits with partner(). */
  open(key: K, d: Dentry, flags: number): PipeEnd {
    let p = this.pipes.get(key);
    if ((flags & O.ACCMODE) === O.WRONLY && (flags & O.NONBLOCK) && (p?.readers ?? 0) === 0) throw err(E.ENXIO);
    if (!p) {
      const np = new Pipe();
      np.onUnused = () => this.pipes.delete(key);
      this.pipes.set(key, (p = np));
    }
    return new PipeEnd(p, flags, d);
  }
}

/** pipe2(2): [read end, write end] sharing one new pipe; O_NONBLOCK applies to both. */
export function createPipe(flags: number): [PipeEnd, PipeEnd] {
  const p = new Pipe();
  const status = flags & O.NONBLOCK;
  return [new PipeEnd(p, O.RDONLY | status), new PipeEnd(p, O.WRONLY | status)];
}
