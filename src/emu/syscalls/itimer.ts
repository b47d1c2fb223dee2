// Interval timers: alarm(2), setitimer(2), getitimer(2) (kernel/time/itimer.c). ITIMER_REAL counts
// wall-clock time (SIGALRM), ITIMER_VIRTUAL the process's user CPU time (SIGVTALRM), ITIMER_PROF its user
// and system CPU time (SIGPROF); the CPU ones are checked at the end of each scheduler slice.
import type { Task } from '../kernel/task.js';
import type { KProcess } from '../kernel/process.js';
import type { ITimerSpec } from '../kernel/ktimer.js';
import { ITIMER } from '../kernel/process-timers.js';
import { E, err } from '../kernel/errno.js';
import { partial, sys, type SyscallDef } from './types.js';
import { struct } from './abi.js';

const US = 1_000_000n, NS_PER_US = 1000n;

function itimerOf(t: Task, which: number) {
  if (which !== ITIMER.REAL && which !== ITIMER.VIRTUAL && which !== ITIMER.PROF) throw err(E.EINVAL);
  return (t.process as KProcess).timers.itimer(which);
}

/** struct itimerval: it_interval then it_value, each a timeval (nanoseconds truncated to microseconds). */
function writeItimerval(t: Task, addr: number, v: ITimerSpec): void {
  const s = struct(32);
  [v.intervalNs, v.valueNs].forEach((ns, i) => {
    const us = ns / NS_PER_US;
    s.dv.setBigInt64(16 * i, us / US, true);
    s.dv.setBigInt64(16 * i + 8, us % US, true);
  });
  t.mem.write(addr, s.u8);
}

function readTimevalNs(t: Task, addr: number): bigint {
  const sec = BigInt.asIntN(64, t.mem.readBig(addr));
  const usec = BigInt.asIntN(64, t.mem.readBig(addr + 8));
  if (sec < 0n || usec < 0n || usec >= US) throw err(E.EINVAL);
  return (sec * US + usec) * NS_PER_US;
}

/** A timer reading never shows an armed timer as 0: what is about to fire reads 1 µs (itimer_get_remtime). */
function current(t: Task, which: number): ITimerSpec {
  const v = itimerOf(t, which).get();
  return v.valueNs > 0n && v.valueNs < NS_PER_US ? { ...v, valueNs: NS_PER_US } : v;
}

export const itimerSyscalls: SyscallDef[] = [
  // alarm(2): the seconds left of the previous alarm, rounded to nearest but never 0 for a pending one
  sys(37, 'alarm', ['uint'], (t, seconds) => {
    const left = current(t, ITIMER.REAL).valueNs / NS_PER_US;
    itimerOf(t, ITIMER.REAL).set({ intervalNs: 0n, valueNs: BigInt(seconds) * US * NS_PER_US }, false);
    const secs = left / US, usec = left % US;
    return Number((secs === 0n && usec > 0n) || usec >= 500_000n ? secs + 1n : secs);
  }),
  partial(38, 'setitimer', ['int', 'ptr', 'ptr'], 'VIRTUAL and PROF count the same CPU time (system time is not measured apart)', (t, which, newp, oldp) => {
    const old = current(t, which);
    // a NULL new value disarms, as Linux still accepts
    const spec = newp ? { intervalNs: readTimevalNs(t, newp), valueNs: readTimevalNs(t, newp + 16) } : { intervalNs: 0n, valueNs: 0n };
    itimerOf(t, which).set(spec, false);
    if (oldp) writeItimerval(t, oldp, old);
    return 0;
  }),
  sys(36, 'getitimer', ['int', 'ptr'], (t, which, cur) => { writeItimerval(t, cur, current(t, which)); return 0; }),
];
