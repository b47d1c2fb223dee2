// timerfd_create(2), timerfd_settime(2), timerfd_gettime(2).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { CLOCK, MONOTONIC_CLOCK, REALTIME_CLOCK } from '../kernel/clock.js';
import type { TimerClock } from '../kernel/ktimer.js';
import { O } from '../fs/constants.js';
import { TimerFd, type ITimerSpec } from '../fs/timerfd.js';
import { sys, type SyscallDef } from './types.js';
import { readTimespec, writeTimespec } from './abi.js';

const TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

/** The clocks a timerfd can use (the _ALARM ones need CAP_WAKE_ALARM; we are their root). */
function clockSource(clk: number): TimerClock {
  switch (clk) {
    case CLOCK.REALTIME: case CLOCK.REALTIME_ALARM: return REALTIME_CLOCK;
    case CLOCK.MONOTONIC: case CLOCK.BOOTTIME: case CLOCK.BOOTTIME_ALARM: return MONOTONIC_CLOCK;
    default: throw err(E.EINVAL);
  }
}

function timerfdCreate(t: Task, clk: number, flags: number): number {
  if (flags & ~(O.CLOEXEC | O.NONBLOCK)) throw err(E.EINVAL);
  const clock = clockSource(clk);
  return t.files.install(() => new TimerFd(clk, clock, O.RDWR | (flags & O.NONBLOCK)), (flags & O.CLOEXEC) !== 0);
}

function timerOf(t: Task, fd: number): TimerFd {
  const f = t.files.get(fd);
  if (!(f instanceof TimerFd)) throw err(E.EINVAL);
  return f;
}

/** struct itimerspec: it_interval then it_value. */
function writeSpec(t: Task, p: number, s: ITimerSpec): void {
  writeTimespec(t.mem, p, s.intervalNs);
  writeTimespec(t.mem, p + 16, s.valueNs);
}

function timerfdSettime(t: Task, fd: number, flags: number, newp: number, oldp: number): number {
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) throw err(E.EINVAL);
  const spec = { intervalNs: readTimespec(t.mem, newp), valueNs: readTimespec(t.mem, newp + 16) };
  const tf = timerOf(t, fd);
  const old = tf.set(spec, (flags & TFD_TIMER_ABSTIME) !== 0);
  if (oldp) writeSpec(t, oldp, old);
  return 0;
}

export const timerfdSyscalls: SyscallDef[] = [
  sys(283, 'timerfd_create', ['int', 'flags'], timerfdCreate),
  sys(286, 'timerfd_settime', ['fd', 'flags', 'ptr', 'ptr'], timerfdSettime),
  sys(287, 'timerfd_gettime', ['fd', 'ptr'], (t, fd, cur) => { writeSpec(t, cur, timerOf(t, fd).get()); return 0; }),
];
