// ioprio_get(2), ioprio_set(2) (block/ioprio.c): I/O scheduling class and level per thread, inherited at
// fork. Kept and reported with Linux's checks; host I/O has no priorities, so none changes how I/O is done.
import { CAP, capable } from '../kernel/capability.js';
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { E, err } from '../kernel/errno.js';
import { partial, type SyscallDef } from './types.js';
import { prioTargets } from './sched.js';

const CLASS = { NONE: 0, RT: 1, BE: 2, IDLE: 3 } as const;
const NR_LEVELS = 8;
const classOf = (p: number): number => (p >> 13) & 7;

/**
 * ioprio_check_cap: RT needs CAP_SYS_ADMIN or CAP_SYS_NICE; RT/BE levels 0..7; NONE only with level 0. The
 * class is 3 bits, so higher bits alias (ionice -c9 is RT), as IOPRIO_PRIO_CLASS masks them.
 */
function checkIoprio(t: Task, ioprio: number): void {
  const cls = classOf(ioprio), level = ioprio & 0x1fff;
  if (cls === CLASS.RT && !capable(t.creds, CAP.SYS_NICE) && !capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM);
  if ((cls === CLASS.RT || cls === CLASS.BE) && level >= NR_LEVELS) throw err(E.EINVAL);
  if (cls === CLASS.NONE && level) throw err(E.EINVAL);
  if (cls > CLASS.IDLE) throw err(E.EINVAL);
}

/** The targets of `which` (1 process, 2 process group, 3 user) and `who`, as getpriority's 0..2. */
function targets(t: Task, which: number, who: number): KTask[] {
  if (which < 1 || which > 3) throw err(E.EINVAL);
  return prioTargets(t, which - 1, who);
}

function ioprioSet(t: Task, which: number, who: number, ioprio: number): number {
  checkIoprio(t, ioprio);
  for (const p of targets(t, which, who)) {
    // set_task_ioprio: the target's real uid is the caller's real or effective uid, or CAP_SYS_NICE
    if (p.creds.uid !== t.creds.euid && p.creds.uid !== t.creds.uid && !capable(t.creds, CAP.SYS_NICE)) throw err(E.EPERM);
    p.sched.ioprio = ioprio & 0xffff; // io_context keeps an unsigned short
  }
  return 0;
}

/** ioprio_get: for several tasks the best (ioprio_best: numerically lowest, "none" counting as default 0). */
function ioprioGet(t: Task, which: number, who: number): number {
  return Math.min(...targets(t, which, who).map((p) => p.sched.ioprio));
}

const NOTE = 'kept and reported; host I/O is not prioritized';

export const ioprioSyscalls: SyscallDef[] = [
  partial(251, 'ioprio_set', ['int', 'int', 'int'], NOTE, ioprioSet),
  partial(252, 'ioprio_get', ['int', 'int'], NOTE, ioprioGet),
];
