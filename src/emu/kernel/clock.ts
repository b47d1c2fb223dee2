// Kernel clocks (clock_gettime(2)): REALTIME from the host wall clock anchored once and advanced by the host
// monotonic clock (nanosecond steps, never backwards within an instance); MONOTONIC is the host's own.
// CPU-time clocks read the scheduler's accounting (kernel/time/posix-cpu-timers.c's clock ids included).
import type { Task } from './task.js';
import type { KTask } from './thread.js';
import type { KProcess } from './process.js';
import type { TimerClock } from './ktimer.js';
import { E, err } from './errno.js';

const hr0 = process.hrtime.bigint();
const real0 = BigInt(Date.now()) * 1_000_000n;

export const CLOCK = {
  REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3, MONOTONIC_RAW: 4,
  REALTIME_COARSE: 5, MONOTONIC_COARSE: 6, BOOTTIME: 7, REALTIME_ALARM: 8, BOOTTIME_ALARM: 9, TAI: 11,
} as const;

export const monotonicNs = (): bigint => process.hrtime.bigint();
export const realtimeNs = (): bigint => real0 + (process.hrtime.bigint() - hr0);

export const REALTIME_CLOCK: TimerClock = { now: realtimeNs };
export const MONOTONIC_CLOCK: TimerClock = { now: monotonicNs };

/** A process's CPU time (all its threads, ended ones too); `userOnly` for ITIMER_VIRTUAL. */
export const processCpuClock = (p: KProcess, userOnly = false): TimerClock => ({
  now: () => { const c = p.cpuTime(); return BigInt(Math.round(c.utimeNs + (userOnly ? 0 : c.stimeNs))); },
  cpuOf: p,
});

export const threadCpuClock = (t: KTask): TimerClock => ({ now: () => BigInt(Math.round(t.userNs + t.stimeNs)), cpuOf: t.process });

/**
 * The clock a clockid names for task `t`: the fixed ids, or a CPU clock of another process or thread of
 * ours as clock_getcpuclockid(3)/pthread_getcpuclockid(3) encode them (~id << 3 | thread bit 4 | which);
 * EINVAL when that names nobody (glibc turns it into ESRCH).
 */
export function clockOf(t: Task, clk: number): TimerClock {
  switch (clk) {
    case CLOCK.REALTIME: case CLOCK.REALTIME_COARSE: case CLOCK.REALTIME_ALARM: case CLOCK.TAI: return REALTIME_CLOCK;
    case CLOCK.MONOTONIC: case CLOCK.MONOTONIC_RAW: case CLOCK.MONOTONIC_COARSE: case CLOCK.BOOTTIME:
    case CLOCK.BOOTTIME_ALARM: return MONOTONIC_CLOCK;
    case CLOCK.PROCESS_CPUTIME_ID: return processCpuClock(t.process as KProcess);
    case CLOCK.THREAD_CPUTIME_ID: return threadCpuClock(t as KTask);
  }
  if (clk >= 0 || (clk & 3) === 3) throw err(E.EINVAL);
  const id = ~(clk >> 3);
  const target = id === 0 ? t as KTask : t.kernel.tasks.get(id) as KTask | undefined;
  if (!target || target.dead) throw err(E.EINVAL);
  if (clk & 4) {
    if (target.process !== t.process) throw err(E.EINVAL); // thread clocks of our own threads only
    return threadCpuClock(target);
  }
  if (id !== 0 && target.process.pid !== id) throw err(E.EINVAL); // process clocks name the leader
  return processCpuClock(target.process);
}
