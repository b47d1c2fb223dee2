// Changing a task's scheduling policy and parameters (kernel/sched/syscalls.c __sched_setscheduler): the
// checks of sched_setscheduler(2), sched_setparam(2) and sched_setattr(2) in Linux's order, the unprivileged
// rules, SCHED_DEADLINE's parameter checks and its admission control over the instance's tasks.
import { CAP, capable } from './capability.js';
import { E, err } from './errno.js';
import { RLIMIT } from './rlimits.js';
import { CPU_COUNT, ONLINE_CPUS, SCHED, isRealtime, type SchedAttr } from './sched-attr.js';
import { sameOwner } from './task-lookup.js';
import type { Task } from './task.js';
import type { KTask } from './thread.js';

export const SCHED_FLAG = {
  RESET_ON_FORK: 0x01, RECLAIM: 0x02, DL_OVERRUN: 0x04, KEEP_POLICY: 0x08, KEEP_PARAMS: 0x10,
  UTIL_CLAMP_MIN: 0x20, UTIL_CLAMP_MAX: 0x40,
} as const;
const FLAG_ALL = 0x7f, DL_FLAGS = SCHED_FLAG.RECLAIM | SCHED_FLAG.DL_OVERRUN;
const UTIL_CLAMP = SCHED_FLAG.UTIL_CLAMP_MIN | SCHED_FLAG.UTIL_CLAMP_MAX;

/** What a caller asks for: policy -1 keeps the current one (sched_setparam, SCHED_FLAG_KEEP_POLICY). */
export interface SchedRequest {
  policy: number;
  flags: number;
  nice: number;
  priority: number;
  runtime: bigint;
  deadline: bigint;
  period: bigint;
}

const fair = (policy: number): boolean => policy === SCHED.OTHER || policy === SCHED.BATCH;
const validPolicy = (policy: number): boolean => fair(policy) || policy === SCHED.IDLE || isRealtime(policy) || policy === SCHED.DEADLINE;

/** sysctl_sched_dl_period_min/max (us): 100 us .. 2^22 us. */
const DL_PERIOD_MIN = 100_000n, DL_PERIOD_MAX = (1n << 22n) * 1000n;

/** __checkparam_dl: 1024 ns <= runtime <= deadline <= period (period 0: the deadline), MSBs clear, period in range. */
function dlParamsValid(r: SchedRequest): boolean {
  if (r.deadline === 0n || r.runtime < 1024n) return false;
  if (r.deadline >> 63n || r.period >> 63n) return false;
  const period = r.period || r.deadline;
  return r.deadline <= period && r.runtime <= r.deadline && period >= DL_PERIOD_MIN && period <= DL_PERIOD_MAX;
}

/** to_ratio: a bandwidth in 1/2^20 units. */
const ratio = (period: bigint, runtime: bigint): bigint => (runtime << 20n) / period;
const bandwidth = (s: SchedAttr): bigint => (s.policy === SCHED.DEADLINE ? ratio(s.period || s.deadline, s.runtime) : 0n);
/**
 * Deadline capacity: 95% of every CPU (sched_rt_runtime_us / sched_rt_period_us), less the 50 ms per second
 * each CPU's fair server holds since Linux 6.12, in to_ratio units scaled by the CPU count as __dl_overflow does.
 */
const DL_CAP = (ratio(1_000_000_000n, 950_000_000n) * BigInt(CPU_COUNT * 1024)) >> 10n;
const FAIR_SERVERS = ratio(1_000_000_000n, 50_000_000n) * BigInt(CPU_COUNT);

/**
 * sched_dl_overflow: the deadline bandwidth of every task of the instance with the change must fit. A task
 * leaving SCHED_DEADLINE frees its share at once (Linux frees it at the task's 0-lag time, a little later).
 */
function dlFits(target: KTask, newBw: bigint): boolean {
  if (newBw === bandwidth(target.sched) && target.sched.policy === SCHED.DEADLINE) return true;
  let total = FAIR_SERVERS;
  for (const o of target.kernel.tasks.values() as Iterable<KTask>) if (!o.dead && !o.process.zombie && o !== target) total += bandwidth(o.sched);
  return total + newBw <= DL_CAP;
}

/** is_nice_reduction: RLIMIT_NICE of the target allows `nice` (20 - nice <= limit). */
const niceAllowed = (target: KTask, nice: number): boolean => BigInt(20 - nice) <= target.process.rlimits[RLIMIT.NICE].cur;

/** user_check_sched_setscheduler: EPERM unless allowed to the caller without CAP_SYS_NICE, or it has it. */
function checkUnprivileged(t: Task, target: KTask, policy: number, r: SchedRequest, reset: boolean): void {
  if (capable(t.creds, CAP.SYS_NICE)) return;
  const s = target.sched;
  const rtLimit = target.process.rlimits[RLIMIT.RTPRIO].cur;
  const denied = (fair(policy) && r.nice < s.nice && !niceAllowed(target, r.nice))
    || (isRealtime(policy) && ((policy !== s.policy && rtLimit === 0n) || (r.priority > s.priority && BigInt(r.priority) > rtLimit)))
    || policy === SCHED.DEADLINE
    || (s.policy === SCHED.IDLE && policy !== SCHED.IDLE && !niceAllowed(target, s.nice))
    || !sameOwner(t, target)
    || (s.resetOnFork && !reset);
  if (denied) throw err(E.EPERM);
}

/** Whether the request changes nothing but reset-on-fork (Linux then stores only that flag). */
function unchanged(s: SchedAttr, policy: number, r: SchedRequest): boolean {
  if (policy !== s.policy || r.flags & UTIL_CLAMP) return false;
  if (fair(policy)) return r.nice === s.nice;
  if (isRealtime(policy)) return r.priority === s.priority;
  if (policy === SCHED.DEADLINE) {
    return r.runtime === s.runtime && r.deadline === s.deadline && (r.period || r.deadline) === s.period && (r.flags & DL_FLAGS) === s.dlFlags;
  }
  return true;
}

/** __sched_setscheduler for a user request. */
export function setScheduler(t: Task, target: KTask, r: SchedRequest): void {
  const s = target.sched;
  const policy = r.policy < 0 ? s.policy : r.policy;
  const reset = r.policy < 0 ? s.resetOnFork : (r.flags & SCHED_FLAG.RESET_ON_FORK) !== 0;
  if (r.policy >= 0 && !validPolicy(policy)) throw err(E.EINVAL);
  if (r.flags & ~FLAG_ALL) throw err(E.EINVAL);
  if (r.priority > 99) throw err(E.EINVAL);
  if ((policy === SCHED.DEADLINE && !dlParamsValid(r)) || isRealtime(policy) !== (r.priority !== 0)) throw err(E.EINVAL);
  checkUnprivileged(t, target, policy, r, reset);
  if (r.flags & UTIL_CLAMP) throw err(E.EOPNOTSUPP); // utilization clamping: a kernel without CONFIG_UCLAMP_TASK
  const change = !unchanged(s, policy, r);
  if (change) {
    // a deadline task must be free to run on every CPU, and its bandwidth must fit
    if (policy === SCHED.DEADLINE && (s.affinity & ONLINE_CPUS) !== ONLINE_CPUS) throw err(E.EPERM);
    if (policy === SCHED.DEADLINE && !dlFits(target, ratio(r.period || r.deadline, r.runtime))) throw err(E.EBUSY);
  }
  // SCHED_FLAG_KEEP_PARAMS: the checks above ran, the policy and parameters stay (__sched_setscheduler)
  if (change && !(r.flags & SCHED_FLAG.KEEP_PARAMS)) {
    s.policy = policy;
    if (fair(policy)) s.nice = r.nice;
    s.priority = r.priority;
    const dl = policy === SCHED.DEADLINE;
    s.runtime = dl ? r.runtime : 0n;
    s.deadline = dl ? r.deadline : 0n;
    s.period = dl ? r.period || r.deadline : 0n;
    s.dlFlags = dl ? r.flags & DL_FLAGS : 0;
  }
  s.resetOnFork = reset;
}

/** get_params: the request that keeps the task's current parameters (SCHED_FLAG_KEEP_PARAMS). */
export function currentParams(s: SchedAttr, r: SchedRequest): SchedRequest {
  if (s.policy === SCHED.DEADLINE) {
    return { ...r, priority: s.priority, runtime: s.runtime, deadline: s.deadline, period: s.period, flags: (r.flags & ~DL_FLAGS) | s.dlFlags };
  }
  return isRealtime(s.policy) ? { ...r, priority: s.priority } : { ...r, nice: s.nice };
}
