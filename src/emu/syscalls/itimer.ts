// Interval timers: alarm(2), setitimer(2), getitimer(2). ITIMER_REAL counts wall-clock time and sends
// SIGALRM to the process, as kernel/time/itimer.c does; one timer per process.
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import type { KProcess } from '../kernel/process.js';
import { E, err } from '../kernel/errno.js';
import { SIG } from '../kernel/signals.js';
import { postSignal } from '../kernel/signal-deliver.js';
import { partial, sys, type SyscallDef } from './types.js';
import { struct } from './abi.js';

const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
const US = 1_000_000;

interface RealTimer { handle: NodeJS.Timeout; deadlineUs: number; intervalUs: number; }
const timers = new WeakMap<KProcess, RealTimer>();
const nowUs = (): number => performance.timeOrigin * 1000 + performance.now() * 1000;

function remainingUs(p: KProcess): [number, number] {
  const tm = timers.get(p);
  if (!tm) return [0, 0];
  return [Math.max(1, Math.round(tm.deadlineUs - nowUs())), tm.intervalUs];
}

function arm(t: KTask, valueUs: number, intervalUs: number): void {
  const p = t.process;
  const old = timers.get(p);
  if (old) clearTimeout(old.handle);
  timers.delete(p);
  if (valueUs <= 0) return;
  const fire = (): void => {
    const leader = t.kernel.tasks.get(p.pid) as KTask | undefined;
    if (!leader || p.exitStatus !== null) { timers.delete(p); return; }
    postSignal(leader, SIG.SIGALRM, { code: 0x80, pid: 0, uid: 0 });
    const tm = timers.get(p);
    if (tm && tm.intervalUs > 0) {
      tm.deadlineUs += tm.intervalUs;
      tm.handle = setTimeout(fire, Math.max(0, (tm.deadlineUs - nowUs()) / 1000));
      tm.handle.unref?.();
    } else timers.delete(p);
  };
  const handle = setTimeout(fire, valueUs / 1000);
  handle.unref?.(); // a pending alarm alone must not keep the instance alive
  timers.set(p, { handle, deadlineUs: nowUs() + valueUs, intervalUs });
}

/** struct itimerval: it_interval then it_value, each a timeval. */
function writeItimerval(t: Task, addr: number, [valueUs, intervalUs]: [number, number]): void {
  const s = struct(32);
  s.dv.setBigInt64(0, BigInt(Math.floor(intervalUs / US)), true);
  s.dv.setBigInt64(8, BigInt(intervalUs % US), true);
  s.dv.setBigInt64(16, BigInt(Math.floor(valueUs / US)), true);
  s.dv.setBigInt64(24, BigInt(valueUs % US), true);
  t.mem.write(addr, s.u8);
}

function readTimevalUs(t: Task, addr: number): number {
  const sec = Number(BigInt.asIntN(64, t.mem.readBig(addr)));
  const usec = Number(BigInt.asIntN(64, t.mem.readBig(addr + 8)));
  if (sec < 0 || usec < 0 || usec >= US) throw err(E.EINVAL);
  return sec * US + usec;
}

function which(w: number): void {
  if (w === ITIMER_VIRTUAL || w === ITIMER_PROF) throw err(E.EINVAL, 'only ITIMER_REAL is provided');
  if (w !== ITIMER_REAL) throw err(E.EINVAL);
}

export const itimerSyscalls: SyscallDef[] = [
  // alarm(2): seconds left of the previous alarm (rounded up), 0 cancels
  sys(37, 'alarm', ['uint'], (t, seconds) => {
    const [left] = remainingUs(t.process as KProcess);
    arm(t as KTask, seconds * US, 0);
    return Math.ceil(left / US);
  }),
  partial(38, 'setitimer', ['int', 'ptr', 'ptr'], 'ITIMER_REAL only (VIRTUAL/PROF: EINVAL)', (t, w, newp, oldp) => {
    which(w);
    const old = remainingUs(t.process as KProcess);
    if (newp) arm(t as KTask, readTimevalUs(t, newp + 16), readTimevalUs(t, newp));
    if (oldp) writeItimerval(t, oldp, old);
    return 0;
  }),
  partial(36, 'getitimer', ['int', 'ptr'], 'ITIMER_REAL only (VIRTUAL/PROF: EINVAL)', (t, w, cur) => {
    which(w);
    writeItimerval(t, cur, remainingUs(t.process as KProcess));
    return 0;
  }),
];
