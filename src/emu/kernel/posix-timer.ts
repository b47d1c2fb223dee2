// One POSIX per-process timer (kernel/time/posix-timers.c): a KTimer whose expiries notify as its struct
// sigevent says — a signal to the process or to one of its threads carrying si_value, si_timerid and
// si_overrun (SI_TIMER), or nothing (SIGEV_NONE). While its signal waits undelivered, further expiries only
// count as overruns; timer_getoverrun(2) reports the count of the last delivered one.
import type { KTask } from './thread.js';
import type { KProcess } from './process.js';
import { KTimer, type TimerClock } from './ktimer.js';
import { postSignal, type SigInfo } from './signal-deliver.js';
import { postToProcess } from './signal-send.js';
import type { SigPending } from './sig-pending.js';

export const SIGEV = { SIGNAL: 0, NONE: 1, THREAD: 2, THREAD_ID: 4 } as const;
export const SI_TIMER = -2;
/** DELAYTIMER_MAX: the overrun count saturates at INT_MAX. */
const DELAYTIMER_MAX = 0x7fffffffn;

/** struct sigevent as the kernel takes it; `thread` is the target of SIGEV_THREAD_ID. */
export interface SigEvent { notify: number; signo: number; value: bigint; thread: KTask | null; }

export class PosixTimer {
  readonly timer: KTimer;
  /** The signal posted and not yet taken by its thread (null: none waiting). */
  private queued: { pending: SigPending; info: SigInfo } | null = null;
  /** si_overrun of the last delivered signal (timer_getoverrun). */
  overrunLast = 0;

  constructor(readonly id: number, private readonly proc: KProcess, private readonly ev: SigEvent, clock: TimerClock) {
    this.timer = new KTimer(clock, (n) => this.expired(n), ev.notify !== SIGEV.NONE);
  }

  private expired(n: bigint): void {
    if (this.ev.notify === SIGEV.NONE) return;
    const q = this.queued;
    const sig = this.ev.signo;
    if (q && q.pending.holds(sig, q.info)) {
      q.info.overrun = Number(min(BigInt(q.info.overrun ?? 0) + n, DELAYTIMER_MAX));
      return;
    }
    const info: SigInfo = {
      code: SI_TIMER, pid: 0, uid: 0, timerid: this.id, overrun: Number(min(n - 1n, DELAYTIMER_MAX)), value: this.ev.value,
      dequeued: () => this.taken(info),
    };
    const task = this.ev.thread;
    if (task) { if (task.dead) return; postSignal(task, sig, info); } else if (!postToProcess(this.proc, sig, info)) return;
    const pending = task ? task.sigPending : this.proc.sharedPending;
    this.queued = pending.holds(sig, info) ? { pending, info } : null;
  }

  /**
   * Our signal was taken (delivered, sigwaitinfo'd or read from a signalfd): expiries up to now count into
   * its si_overrun first, as Linux re-arms the timer at dequeue (posixtimer_rearm).
   */
  private taken(info: SigInfo): void {
    if (this.queued?.info === info) {
      this.timer.poll();
      this.queued = null;
    }
    this.overrunLast = info.overrun ?? 0;
  }
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
