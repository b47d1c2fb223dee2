// Finding the task or process a pid argument names (find_task_by_vpid) and the credential rules for acting
// on another task (kernel/sys.c, kernel/sched/core.c). Every call that takes a pid uses these.
import { CAP, capable } from './capability.js';
import type { Task } from './task.js';
import type { KTask } from './thread.js';
import type { KProcess } from './process.js';
import { E, err } from './errno.js';

/** The live task (any thread of any process) with thread id `id`; 0 is the caller. ESRCH for none (negative ids too). */
export function taskById(t: Task, id: number): KTask {
  if (id === 0) return t as KTask;
  const task = id > 0 ? t.kernel.tasks.get(id) as KTask | undefined : undefined;
  if (!task || task.dead) throw err(E.ESRCH);
  return task;
}

/** The process a pid argument names: found by any of its threads' ids, as Linux's pid lookups are. */
export function processById(t: Task, pid: number): KProcess {
  return taskById(t, pid).process;
}

/**
 * check_same_owner (sched_setaffinity, sched_setscheduler): the caller's effective uid is the target's real
 * or effective uid, or the caller holds CAP_SYS_NICE.
 */
export function sameOwner(t: Task, target: Task): boolean {
  const c = t.creds, d = target.creds;
  return t === target || capable(c, CAP.SYS_NICE) || c.euid === d.euid || c.euid === d.uid;
}

/** set_one_prio_perm (setpriority): the target's real or effective uid is the caller's effective uid, or CAP_SYS_NICE. */
export function mayRenice(t: Task, target: Task): boolean {
  const c = t.creds, d = target.creds;
  return capable(c, CAP.SYS_NICE) || d.uid === c.euid || d.euid === c.euid;
}

/**
 * ptrace_may_access with REALCREDS (pidfd_getfd, process_vm_readv, kcmp, get_robust_list): the caller's own
 * process, or every real/effective/saved uid and gid of the target equal to the caller's real ones with the
 * target's permitted set within the caller's (cap_ptrace_access_check), or CAP_SYS_PTRACE. Every process is dumpable here.
 */
export function mayPtrace(t: Task, target: Task): boolean {
  const c = t.creds, d = target.creds;
  if (t.process === target.process || capable(c, CAP.SYS_PTRACE)) return true;
  return d.uid === c.uid && d.euid === c.uid && d.suid === c.uid && d.gid === c.gid && d.egid === c.gid && d.sgid === c.gid &&
    (d.capPrm & ~c.capPrm) === 0n;
}

/** Whether another live task (of any process) uses the same `what` as t: the users count of files_struct, fs_struct. */
export function sharedWithOthers(t: Task, what: (o: Task) => object): boolean {
  for (const o of t.kernel.tasks.values()) if (o !== t && !(o as KTask).dead && what(o) === what(t)) return true;
  return false;
}

/** check_prlimit_permission is the same credential test, with CAP_SYS_RESOURCE for CAP_SYS_PTRACE. */
export const mayPrlimit = mayPtrace;
