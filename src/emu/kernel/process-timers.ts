// The timers a process owns: its three interval timers (setitimer(2): kept across execve), its POSIX timers
// (timer_create(2): deleted by execve), neither inherited by fork, all stopped at exit; the RLIMIT_CPU
// watch; and the set of CPU-clock timers the scheduler polls after each of the process's slices.
import type { KProcess } from './process.js';
import { KTimer, type TimerClock } from './ktimer.js';
import { PosixTimer, type SigEvent } from './posix-timer.js';
import { MONOTONIC_CLOCK, processCpuClock } from './clock.js';
import { postToProcess } from './signal-send.js';
import { SIG } from './signals.js';
import { E, err } from './errno.js';
import { RLIMIT, RLIM_INFINITY } from './rlimits.js';

export const ITIMER = { REAL: 0, VIRTUAL: 1, PROF: 2 } as const;
const SI_KERNEL = 0x80;
const NS_PER_SEC = 1_000_000_000n;
/** The number of POSIX timers a process may hold (Linux bounds them by RLIMIT_SIGPENDING-sized memory). */
const MAX_POSIX_TIMERS = 4096;

export class ProcessTimers {
  /** Armed timers on this process's CPU clocks. */
  readonly cpu = new Set<KTimer>();
  private readonly itimers: (KTimer | null)[] = [null, null, null];
  private readonly posix = new Map<number, PosixTimer>();
  private nextId = 0;
  private cpuLimit: KTimer | null = null;

  constructor(private readonly p: KProcess) {}

  /** ITIMER_REAL counts monotonic time and sends SIGALRM; VIRTUAL user CPU time, SIGVTALRM; PROF all CPU time, SIGPROF. */
  itimer(which: number): KTimer {
    const made = this.itimers[which];
    if (made) return made;
    const [clock, sig]: [TimerClock, number] = which === ITIMER.REAL ? [MONOTONIC_CLOCK, SIG.SIGALRM]
      : which === ITIMER.VIRTUAL ? [processCpuClock(this.p, true), SIG.SIGVTALRM] : [processCpuClock(this.p), SIG.SIGPROF];
    const tm = new KTimer(clock, () => { postToProcess(this.p, sig, { code: SI_KERNEL, pid: 0, uid: 0 }); });
    this.itimers[which] = tm;
    return tm;
  }

  /** timer_create: the lowest free id from a per-process counter, as Linux hands them out (0, 1, 2...). */
  create(clock: TimerClock, ev: SigEvent): PosixTimer {
    if (this.posix.size >= MAX_POSIX_TIMERS) throw err(E.EAGAIN);
    while (this.posix.has(this.nextId)) this.nextId = (this.nextId + 1) & 0x7fffffff;
    const id = this.nextId;
    this.nextId = (this.nextId + 1) & 0x7fffffff;
    const tm = new PosixTimer(id, this.p, ev, clock);
    this.posix.set(id, tm);
    return tm;
  }

  /** A POSIX timer by id; EINVAL for none. */
  get(id: number): PosixTimer {
    const tm = this.posix.get(id);
    if (!tm) throw err(E.EINVAL);
    return tm;
  }

  delete(id: number): void {
    this.get(id).timer.cancel();
    this.posix.delete(id);
  }

  /**
   * Watch RLIMIT_CPU (after setrlimit and fork): past the soft limit SIGXCPU, and again each second after
   * as the soft limit moves up by one; at the hard limit SIGKILL (posix-cpu-timers.c check_rlimit).
   */
  rlimitCpu(): void {
    const { cur, max } = this.p.rlimits[RLIMIT.CPU];
    const at = cur < max ? cur : max;
    if (at === RLIM_INFINITY) { this.cpuLimit?.cancel(); return; }
    this.cpuLimit ??= new KTimer(processCpuClock(this.p), () => this.cpuLimitReached());
    this.cpuLimit.set({ intervalNs: 0n, valueNs: at > 0n ? at * NS_PER_SEC : 1n }, true);
  }

  private cpuLimitReached(): void {
    const l = this.p.rlimits[RLIMIT.CPU];
    const secs = processCpuClock(this.p).now() / NS_PER_SEC;
    const info = { code: SI_KERNEL, pid: 0, uid: 0 };
    if (secs >= l.max) { postToProcess(this.p, SIG.SIGKILL, info); return; }
    postToProcess(this.p, SIG.SIGXCPU, info);
    if (l.cur < l.max) this.p.rlimits[RLIMIT.CPU] = { cur: l.cur + 1n, max: l.max };
    this.rlimitCpu();
  }

  /** The scheduler accounted a slice: CPU-clock timers that reached their expiry fire. */
  pollCpu(): void { for (const tm of this.cpu) tm.poll(); }

  /** execve: POSIX timers are deleted, interval timers survive (exit_itimers in begin_new_exec). */
  exec(): void {
    for (const id of [...this.posix.keys()]) this.delete(id);
  }

  /** The process has exited: nothing it armed fires any more. */
  exit(): void {
    this.exec();
    for (const tm of this.itimers) tm?.cancel();
    this.cpuLimit?.cancel();
  }
}
