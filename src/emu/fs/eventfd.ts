// eventfd objects (fs/eventfd.c): a 64-bit counter; write adds, read takes it all (or 1 with EFD_SEMAPHORE).
import { E, err } from '../kernel/errno.js';
import { waitOn } from '../kernel/wait-queue.js';
import { AnonInodeFile } from './anon-inode.js';
import { POLL, type IoResult } from './file.js';

const ULLONG_MAX = 0xffffffffffffffffn;

export class EventFd extends AnonInodeFile {
  constructor(private count: bigint, flags: number, private readonly semaphore: boolean) { super(flags, 'eventfd'); }

  get counter(): bigint { return this.count; }

  /** eventfd_poll: readable with a count, writable while one more can be added, ERR at overflow. */
  override pollMask(): number {
    return (this.count > 0n ? POLL.IN | POLL.RDNORM : 0) | (this.count === ULLONG_MAX ? POLL.ERR : 0) |
      (this.count < ULLONG_MAX - 1n ? POLL.OUT | POLL.WRNORM : 0);
  }

  override read(buf: Uint8Array): IoResult {
    if (buf.length < 8) throw err(E.EINVAL);
    const attempt = (): number | null => {
      if (this.count === 0n) return null;
      const v = this.semaphore ? 1n : this.count;
      this.count -= v;
      new DataView(buf.buffer, buf.byteOffset, 8).setBigUint64(0, v, true);
      this.queue.notify();
      return 8;
    };
    return this.wait(attempt);
  }

  override write(buf: Uint8Array): IoResult {
    if (buf.length < 8) throw err(E.EINVAL);
    const v = new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0, true);
    if (v === ULLONG_MAX) throw err(E.EINVAL);
    const attempt = (): number | null => {
      if (ULLONG_MAX - this.count <= v) return null;
      this.count += v;
      this.queue.notify(); // even for 0: an edge for epoll, as eventfd_write wakes
      return 8;
    };
    return this.wait(attempt);
  }

  /** eventfd_signal: the kernel adds to the count without blocking (AIO completions); at the top it stops. */
  signal(n: bigint): void {
    this.count += n < ULLONG_MAX - this.count ? n : ULLONG_MAX - this.count;
    this.queue.notify();
  }

  private wait(attempt: () => number | null): IoResult {
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking) throw err(E.EAGAIN);
    return waitOn([this.queue], attempt);
  }
}
