// POSIX per-process timers: timer_create(2), timer_settime(2), timer_gettime(2), timer_getoverrun(2),
// timer_delete(2). The timers live in kernel/process-timers.ts and kernel/posix-timer.ts.
import type { Task } from '../kernel/task.js';
import type { KProcess } from '../kernel/process.js';
import type { KTask } from '../kernel/thread.js';
import type { ITimerSpec } from '../kernel/ktimer.js';
import { E, err } from '../kernel/errno.js';
import { CLOCK, clockOf } from '../kernel/clock.js';
import { NSIG, SIG } from '../kernel/signals.js';
import { SIGEV, type SigEvent } from '../kernel/posix-timer.js';
import { sys, type SyscallDef } from './types.js';
import { readTimespec, writeTimespec } from './abi.js';

const TIMER_ABSTIME = 1;

const timersOf = (t: Task) => (t.process as KProcess).timers;

/** good_sigevent: a signal number for the signal kinds, and a SIGEV_THREAD_ID target among our own threads. */
function readSigevent(t: Task, addr: number): SigEvent {
  if (!addr) return { notify: SIGEV.SIGNAL, signo: SIG.SIGALRM, value: 0n, thread: null };
  const value = t.mem.readBig(addr);
  const signo = t.mem.readI32(addr + 8), notify = t.mem.readI32(addr + 12), tid = t.mem.readI32(addr + 16);
  if (notify === SIGEV.NONE) return { notify, signo, value, thread: null };
  if (notify !== SIGEV.SIGNAL && notify !== SIGEV.THREAD && notify !== SIGEV.THREAD_ID) throw err(E.EINVAL);
  let thread: KTask | null = null;
  if (notify === SIGEV.THREAD_ID) {
    thread = tid > 0 ? t.kernel.tasks.get(tid) as KTask | undefined ?? null : null;
    if (!thread || thread.dead || thread.process !== t.process) throw err(E.EINVAL);
  }
  if (signo <= 0 || signo > NSIG) throw err(E.EINVAL);
  return { notify, signo, value, thread };
}

/** The clocks timers run on; the coarse and raw clocks have none (EOPNOTSUPP), unknown ids are EINVAL. */
function timerClock(t: Task, clk: number) {
  if (clk === CLOCK.MONOTONIC_RAW || clk === CLOCK.REALTIME_COARSE || clk === CLOCK.MONOTONIC_COARSE) throw err(E.EOPNOTSUPP);
  return clockOf(t, clk);
}

function timerCreate(t: Task, clk: number, sevp: number, idp: number): number {
  const clock = timerClock(t, clk);
  const ev = readSigevent(t, sevp);
  const tm = timersOf(t).create(clock, ev);
  if (!sevp) ev.value = BigInt(tm.id); // NULL sevp: SIGALRM carrying the timer id
  try { t.mem.writeI32(idp, tm.id); } catch (e) { timersOf(t).delete(tm.id); throw e; }
  return 0;
}

/** struct itimerspec: it_interval then it_value. */
function writeSpec(t: Task, p: number, s: ITimerSpec): void {
  writeTimespec(t.mem, p, s.intervalNs);
  writeTimespec(t.mem, p + 16, s.valueNs);
}

function timerSettime(t: Task, id: number, flags: number, newp: number, oldp: number): number {
  const tm = timersOf(t).get(id);
  if (!newp) throw err(E.EINVAL);
  const spec = { intervalNs: readTimespec(t.mem, newp), valueNs: readTimespec(t.mem, newp + 16) };
  const old = tm.timer.set(spec, (flags & TIMER_ABSTIME) !== 0);
  if (oldp) writeSpec(t, oldp, old);
  return 0;
}

export const posixTimerSyscalls: SyscallDef[] = [
  sys(222, 'timer_create', ['int', 'ptr', 'ptr'], timerCreate),
  sys(223, 'timer_settime', ['int', 'flags', 'ptr', 'ptr'], timerSettime),
  sys(224, 'timer_gettime', ['int', 'ptr'], (t, id, cur) => { writeSpec(t, cur, timersOf(t).get(id).timer.get()); return 0; }),
  sys(225, 'timer_getoverrun', ['int'], (t, id) => timersOf(t).get(id).overrunLast),
  sys(226, 'timer_delete', ['int'], (t, id) => { timersOf(t).delete(id); return 0; }),
];
