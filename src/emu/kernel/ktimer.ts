// The one timer mechanism of the kernel (the roles of kernel/time/hrtimer.c and posix-cpu-timers.c): a
// timer armed on a clock, relative or absolute, one-shot or periodic, that counts its expirations and tells
// its owner. timerfd, alarm/setitimer and POSIX timers are all KTimers. Wall clocks wake the kernel with a
// host timer; CPU-time clocks only advance while their tasks run, so the scheduler polls those after each slice.
import type { KProcess } from './process.js';

/** setTimeout's largest delay; longer timers re-arm when it fires. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface TimerClock {
  now(): bigint;
  /** Set for CPU-time clocks: the process whose slices advance the clock (its timers.cpu are polled). */
  cpuOf?: KProcess;
}

/** struct itimerspec in nanoseconds. */
export interface ITimerSpec { intervalNs: bigint; valueNs: bigint; }

export class KTimer {
  /** Absolute expiry on the clock; null when disarmed. */
  private next: bigint | null = null;
  private interval = 0n;
  private host: NodeJS.Timeout | null = null;

  /**
   * `expired(n)` hears of n >= 1 expirations at once (a periodic timer that fell behind); `wake` false means
   * nobody needs to hear of an expiry until it is asked for (SIGEV_NONE), so no host timer is set.
   */
  constructor(readonly clock: TimerClock, private readonly expired: (n: bigint) => void, private readonly wake = true) {}

  get armed(): boolean { return this.next !== null; }

  /** Arm (value > 0) or disarm; `abs` takes value as a time on the clock. Returns the old setting. */
  set(spec: ITimerSpec, abs: boolean): ITimerSpec {
    const old = this.get();
    this.interval = spec.intervalNs;
    this.next = spec.valueNs === 0n ? null : abs ? spec.valueNs : this.clock.now() + spec.valueNs;
    this.schedule();
    this.poll();
    return old;
  }

  /** Time to the next expiry (0 when disarmed; at least 1 ns while armed) and the interval. */
  get(): ITimerSpec {
    this.poll();
    if (this.next === null) return { intervalNs: this.interval, valueNs: 0n };
    const left = this.next - this.clock.now();
    return { intervalNs: this.interval, valueNs: left > 0n ? left : 1n };
  }

  /** Count the expirations up to now (hrtimer_forward) and report them. */
  poll(): void {
    if (this.next === null) return;
    const now = this.clock.now();
    if (now < this.next) return;
    let n = 1n;
    if (this.interval > 0n) {
      n = (now - this.next) / this.interval + 1n;
      this.next += n * this.interval;
    } else this.setNext(null);
    this.expired(n);
  }

  cancel(): void { this.setNext(null); }

  private setNext(v: bigint | null): void {
    this.next = v;
    if (v === null) this.schedule();
  }

  /** Keep the host timer (wall clocks) or the process's poll set (CPU clocks) in step with `next`. */
  private schedule(): void {
    if (this.host) clearTimeout(this.host);
    this.host = null;
    const cpu = this.clock.cpuOf;
    if (cpu) {
      if (this.next !== null && this.wake) cpu.timers.cpu.add(this); else cpu.timers.cpu.delete(this);
      return;
    }
    if (this.next === null || !this.wake) return;
    const ms = Math.min(MAX_TIMEOUT_MS, Math.max(0, Math.ceil(Number(this.next - this.clock.now()) / 1e6)));
    this.host = setTimeout(() => {
      this.host = null;
      this.poll();
      this.schedule();
    }, ms);
    this.host.unref(); // a pending timer alone does not keep the instance alive; live tasks do
  }
}
