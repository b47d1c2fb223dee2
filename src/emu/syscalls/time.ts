// Time syscalls: clock_gettime(2), gettimeofday(2), time(2), nanosleep(2), clock_nanosleep(2), times(2), getrusage(2).
import type { Task } from '../kernel/task.js';
import type { KProcess } from '../kernel/process.js';
import type { KTask } from '../kernel/thread.js';
import { E, err } from '../kernel/errno.js';
import { CLOCK, clockOf, monotonicNs, realtimeNs } from '../kernel/clock.js';
import { partial, sys, type SyscallDef } from './types.js';
import { ERESTART_RESTARTBLOCK, waitOn } from '../kernel/wait-queue.js';
import { NS_PER_SEC, encodeRusage, readTimespec, struct, writeTimespec, writeTimeval } from './abi.js';

const TIMER_ABSTIME = 1;
const USER_HZ = 100n;
const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

const clockNow = (t: Task, clk: number): bigint => clockOf(t, clk).now();

/**
 * Sleep until `now()` reaches `deadlineNs` (a timer on the event loop; the task is parked). A signal ends
 * it early: with a handler the call fails with EINTR and, when `rem` is given, the time left is written
 * there; without one it goes on until the same deadline (ERESTART_RESTARTBLOCK and a restart block).
 */
function sleepUntil(t: Task, deadlineNs: bigint, now: () => bigint, rem = 0): Promise<number> {
  return waitOn([], () => (now() >= deadlineNs ? 0 : null), {
    timeoutMs: Math.max(0, Math.ceil(Number(deadlineNs - now()) / 1e6)),
    onTimeout: () => 0,
    interruptErrno: ERESTART_RESTARTBLOCK,
    onInterrupt: () => {
      if (rem) writeTimespec(t.mem, rem, deadlineNs > now() ? deadlineNs - now() : 0n);
      t.restartBlock = () => sleepUntil(t, deadlineNs, now, rem);
      return null;
    },
  }) as Promise<number>;
}

function ticks(ns: number | bigint): bigint { return BigInt(Math.floor(Number(ns))) * USER_HZ / NS_PER_SEC; }

export const timeSyscalls: SyscallDef[] = [
  // clock_gettime(2)
  sys(228, 'clock_gettime', ['int', 'ptr'], (t, clk, tp) => { writeTimespec(t.mem, tp, clockNow(t, clk)); return 0; }),
  // clock_getres(2): nanosecond resolution, coarse clocks tick at 4 ms like a HZ=250 kernel
  sys(229, 'clock_getres', ['int', 'ptr'], (t, clk, res) => {
    clockNow(t, clk);
    if (res) writeTimespec(t.mem, res, clk === CLOCK.REALTIME_COARSE || clk === CLOCK.MONOTONIC_COARSE ? 4_000_000n : 1n);
    return 0;
  }),
  // gettimeofday(2): the timezone argument is obsolete and reads as zeros
  sys(96, 'gettimeofday', ['ptr', 'ptr'], (t, tv, tz) => {
    if (tv) writeTimeval(t.mem, tv, realtimeNs());
    if (tz) t.mem.write(tz, new Uint8Array(8));
    return 0;
  }),
  // time(2)
  sys(201, 'time', ['ptr'], (t, tloc) => {
    const s = realtimeNs() / NS_PER_SEC;
    if (tloc) t.mem.writeU64(tloc, s);
    return Number(s);
  }),
  // nanosleep(2); interruption by signals (EINTR + rem) comes with signal delivery
  sys(35, 'nanosleep', ['ptr', 'ptr'], (t, req, rem) => {
    const ns = readTimespec(t.mem, req);
    return sleepUntil(t, monotonicNs() + ns, monotonicNs, rem);
  }),
  // clock_nanosleep(2): relative or TIMER_ABSTIME on REALTIME/MONOTONIC/BOOTTIME
  sys(230, 'clock_nanosleep', ['int', 'flags', 'ptr', 'ptr'], (t, clk, flags, req, rem) => {
    if (clk === CLOCK.THREAD_CPUTIME_ID || (clk < 0 && clk & 4)) throw err(E.EINVAL);
    if (clk === CLOCK.PROCESS_CPUTIME_ID || clk < 0) throw err(E.EOPNOTSUPP);
    clockNow(t, clk);
    const ns = readTimespec(t.mem, req);
    const now = (): bigint => clockNow(t, clk);
    const abs = (flags & TIMER_ABSTIME) !== 0;
    return sleepUntil(t, abs ? ns : now() + ns, now, abs ? 0 : rem);
  }),
  // times(2): clock ticks of this process and of its reaped children
  partial(100, 'times', ['ptr'], 'all CPU time is counted as user time (system time reads 0)', (t, buf) => {
    if (buf) {
      const self = (t.process as KProcess).cpuTime();
      const s = struct(32);
      s.dv.setBigInt64(0, ticks(self.utimeNs), true);
      s.dv.setBigInt64(8, ticks(self.stimeNs), true);
      s.dv.setBigInt64(16, ticks(t.process.childUtimeNs), true);
      s.dv.setBigInt64(24, ticks(t.process.childStimeNs), true);
      t.mem.write(buf, s.u8);
    }
    return Number(ticks(monotonicNs() - t.kernel.bootHr));
  }),
  // getrusage(2): the process (all its threads), its reaped children (and theirs), or the calling thread
  partial(98, 'getrusage', ['int', 'ptr'], 'CPU time all counted as user time; the fault and context-switch counters read 0', (t, who, usage) => {
    const p = t.process as KProcess;
    let u: { utimeNs: number; stimeNs: number }, maxrss = p.peakRss(); // RUSAGE_THREAD too reports the process's
    if (who === RUSAGE_SELF) u = p.cpuTime();
    else if (who === RUSAGE_CHILDREN) { u = { utimeNs: p.childUtimeNs, stimeNs: p.childStimeNs }; maxrss = p.cmaxrss; }
    else if (who === RUSAGE_THREAD) u = { utimeNs: (t as KTask).userNs, stimeNs: t.stimeNs };
    else throw err(E.EINVAL);
    t.mem.write(usage, encodeRusage(u.utimeNs, u.stimeNs, maxrss));
    return 0;
  }),
];
