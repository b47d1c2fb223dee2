// timerfd objects (fs/timerfd.c): a kernel timer whose expirations are counted and read as a u64.
import { E, err } from '../kernel/errno.js';
import { waitOn } from '../kernel/wait-queue.js';
import { KTimer, type ITimerSpec, type TimerClock } from '../kernel/ktimer.js';
import { AnonInodeFile } from './anon-inode.js';
import { POLL, type IoResult } from './file.js';

export type { ITimerSpec } from '../kernel/ktimer.js';

export class TimerFd extends AnonInodeFile {
  /** Expirations not read yet. */
  private ticks = 0n;
  private readonly timer: KTimer;

  constructor(readonly clockid: number, clock: TimerClock, flags: number) {
    super(flags, 'timerfd');
    this.timer = new KTimer(clock, (n) => { this.ticks += n; this.queue.notify(); });
  }

  /** timerfd_settime: a new setting discards the unread expirations. Returns the old setting. */
  set(spec: ITimerSpec, abs: boolean): ITimerSpec {
    const old = this.timer.get();
    this.ticks = 0n;
    this.timer.set(spec, abs);
    return old;
  }

  /** timerfd_gettime */
  get(): ITimerSpec { return this.timer.get(); }

  override pollMask(): number {
    this.timer.poll();
    return this.ticks > 0n ? POLL.IN | POLL.RDNORM : 0;
  }

  override read(buf: Uint8Array): IoResult {
    if (buf.length < 8) throw err(E.EINVAL);
    const attempt = (): number | null => {
      this.timer.poll();
      if (this.ticks === 0n) return null;
      new DataView(buf.buffer, buf.byteOffset, 8).setBigUint64(0, this.ticks, true);
      this.ticks = 0n;
      return 8;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking) throw err(E.EAGAIN);
    return waitOn([this.queue], attempt);
  }

  protected override release(): void { this.timer.cancel(); }
}
