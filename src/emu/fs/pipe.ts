// Pipes (pipe(7), fs/pipe.c): a 64 KiB buffer between a read end and a write end. Writes of at most
// PIPE_BUF bytes are atomic; a read returns what is there; no writers left → EOF; no readers → EPIPE.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { WaitQueue, waitOn } from '../kernel/wait-queue.js';
import { O, S_IFIFO } from './constants.js';
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
  constructor(readonly pipe: Pipe, flags: number) {
    super(flags);
    if (this.readable) pipe.readers++; else pipe.writers++;
  }

  override get stream(): boolean { return true; }
  stat(): Stat { return synthStat(PIPEFS_DEV, this.pipe.ino, S_IFIFO | 0o600, { blksize: 4096 }); }
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

  protected override release(): void {
    if (this.readable) this.pipe.readers--; else this.pipe.writers--;
    this.pipe.queue.notify();
  }
}

/** pipe2(2): [read end, write end] sharing one new pipe; O_NONBLOCK applies to both. */
export function createPipe(flags: number): [PipeEnd, PipeEnd] {
  const p = new Pipe();
  const status = flags & O.NONBLOCK;
  return [new PipeEnd(p, O.RDONLY | status), new PipeEnd(p, O.WRONLY | status)];
}
