// timerfd objects (fs/timerfd.c): a timer on a clock whose expirations are counted and read as a u64.
import { E, err } from '../kernel/errno.js';
import { waitOn } from '../kernel/wait-queue.js';
import { AnonInodeFile } from './anon-inode.js';
import { POLL, type IoResult } from './file.js';

/** setTimeout's largest delay; longer timers re-arm when it fires. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface ITimerSpec { intervalNs: bigint; valueNs: bigint; }

export class TimerFd extends AnonInodeFile {
  /** Absolute expiry on `now`'s clock; null when disarmed. */
  private next: bigint | null = null;
  private interval = 0n;
  /** Expirations not read yet. */
  private ticks = 0n;
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly clockid: number, private readonly now: () => bigint, flags: number) { super(flags, 'timerfd'); }

  /** Count the expirations that have happened (timerfd_tmrproc + hrtimer_forward). */
  private update(): void {
    if (this.next === null) return;
    const now = this.now();
    if (now < this.next) return;
    if (this.interval > 0n) {
      const n = (now - this.next) / this.interval + 1n;
      this.ticks += n;
      this.next += n * this.interval;
    } else {
      this.ticks += 1n;
      this.next = null;
    }
  }

  /** A host timer for the next expiry, so readers and pollers wake (unref'd: live tasks keep the loop). */
  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.next === null) return;
    const ms = Math.min(MAX_TIMEOUT_MS, Math.max(0, Math.ceil(Number(this.next - this.now()) / 1e6)));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.update();
      if (this.ticks > 0n) this.queue.notify();
      this.arm();
    }, ms);
    this.timer.unref();
  }

  /** timerfd_settime: arm (value > 0) or disarm; `abs` takes value as a time on the clock. Returns the old setting. */
  set(spec: ITimerSpec, abs: boolean): ITimerSpec {
    const old = this.get();
    this.ticks = 0n;
    this.interval = spec.intervalNs;
    this.next = spec.valueNs === 0n ? null : abs ? spec.valueNs : this.now() + spec.valueNs;
    this.update();
    if (this.ticks > 0n) this.queue.notify();
    this.arm();
    return old;
  }

  /** timerfd_gettime: time to the next expiry (0 when disarmed) and the interval. */
  get(): ITimerSpec {
    this.update();
    if (this.next === null) return { intervalNs: this.interval, valueNs: 0n };
    const left = this.next - this.now();
    return { intervalNs: this.interval, valueNs: left > 0n ? left : 1n };
  }

  override pollMask(): number {
    this.update();
    return this.ticks > 0n ? POLL.IN | POLL.RDNORM : 0;
  }

  override read(buf: Uint8Array): IoResult {
    if (buf.length < 8) throw err(E.EINVAL);
    const attempt = (): number | null => {
      this.update();
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

  protected override release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.next = null;
  }
}
