// Scheduling attributes: getpriority(2), setpriority(2), sched_setscheduler(2) and friends, sched_getattr(2),
// sched_getaffinity(2), sched_setaffinity(2), sched_yield(2), sched_rr_get_interval(2), getcpu(2). The attributes are kept per task
// (kernel/sched-attr.ts) with Linux's checks; the scheduler itself treats every task alike.
import { CAP, capable } from '../kernel/capability.js';
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { E, err } from '../kernel/errno.js';
import { RLIMIT } from '../kernel/rlimits.js';
import { CPU_COUNT, ONLINE_CPUS, SCHED, SCHED_RESET_ON_FORK, isRealtime } from '../kernel/sched-attr.js';
import { mayRenice, sameOwner, taskById } from '../kernel/task-lookup.js';
import { SCHED_FLAG, currentParams, setScheduler, type SchedRequest } from '../kernel/sched-set.js';
import { partial, sys, type SyscallDef } from './types.js';
import { struct, writeTimespec } from './abi.js';
import { SLICE_US } from '../kernel/scheduler.js';

const RR_TIMESLICE_NS = 100_000_000n;
const PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;
const SCHED_ATTR_SIZE_VER0 = 48, SCHED_ATTR_SIZE = 56;
const UNENFORCED = 'recorded and reported, not enforced: every task gets the same slices on one host thread';

/** The tasks `which`/`who` name (getpriority(2)): a thread, every thread of a process group, or of a user. */
export function prioTargets(t: Task, which: number, who: number): KTask[] {
  if (which === PRIO_PROCESS) return [taskById(t, who)];
  if (which !== PRIO_PGRP && which !== PRIO_USER) throw err(E.EINVAL);
  const id = who || (which === PRIO_PGRP ? t.process.pgid : t.creds.uid);
  const all = [...t.kernel.tasks.values()] as KTask[];
  const found = all.filter((o) => !o.dead && (which === PRIO_PGRP ? o.process.pgid === id : o.creds.uid === id));
  if (!found.length) throw err(E.ESRCH);
  return found;
}

/** can_nice: lowering nice to `nice` needs RLIMIT_NICE >= 20 - nice, or CAP_SYS_NICE. */
const canNice = (t: Task, target: KTask, nice: number): boolean =>
  capable(t.creds, CAP.SYS_NICE) || BigInt(20 - nice) <= target.process.rlimits[RLIMIT.NICE].cur;

/** setpriority(2): every target is tried; the last failure (EPERM, EACCES) wins over earlier successes. */
function setpriority(t: Task, which: number, who: number, niceval: number): number {
  const nice = Math.min(19, Math.max(-20, niceval));
  let error: number = E.ESRCH;
  for (const p of prioTargets(t, which, who)) {
    if (!mayRenice(t, p)) error = E.EPERM;
    else if (nice < p.sched.nice && !canNice(t, p, nice)) error = E.EACCES;
    else { if (error === E.ESRCH) error = 0; p.sched.nice = nice; }
  }
  if (error) throw err(error);
  return 0;
}

/** sched_get_priority_min/max(2): FIFO and RR span 1..99, the others 0..0. */
function priorityRange(policy: number): [number, number] {
  if (isRealtime(policy)) return [1, 99];
  if (policy === SCHED.OTHER || policy === SCHED.BATCH || policy === SCHED.IDLE || policy === SCHED.DEADLINE) return [0, 0];
  throw err(E.EINVAL);
}

/**
 * sched_setscheduler(2) (policy -1: sched_setparam(2), keep the policy): a request with the task's nice kept;
 * the policy's SCHED_RESET_ON_FORK bit is the flag.
 */
function setscheduler(t: Task, pid: number, policyArg: number, param: number): number {
  if (!param || pid < 0) throw err(E.EINVAL);
  const priority = t.mem.readI32(param);
  const target = taskById(t, pid);
  const keep = policyArg === -1;
  setScheduler(t, target, {
    policy: keep ? -1 : policyArg & ~SCHED_RESET_ON_FORK, flags: !keep && policyArg & SCHED_RESET_ON_FORK ? SCHED_FLAG.RESET_ON_FORK : 0,
    nice: target.sched.nice, priority, runtime: 0n, deadline: 0n, period: 0n,
  });
  return 0;
}

/**
 * sched_setattr(2): struct sched_attr of any size from 48 bytes (0 reads as 48) to a page, bytes past the
 * known 56 zero, else E2BIG with the kernel's size written back; nice clamped to -20..19.
 */
function setattr(t: Task, pid: number, attr: number, flags: number): number {
  if (!attr || pid < 0 || flags) throw err(E.EINVAL);
  const size = t.mem.readU32(attr) || SCHED_ATTR_SIZE_VER0;
  const tooBig = (): never => { t.mem.writeU32(attr, SCHED_ATTR_SIZE); throw err(E.E2BIG); };
  if (size < SCHED_ATTR_SIZE_VER0 || size > 4096) tooBig();
  const raw = t.mem.read(attr, size);
  if (raw.subarray(SCHED_ATTR_SIZE).some((b) => b !== 0)) tooBig();
  const a = struct(SCHED_ATTR_SIZE);
  a.u8.set(raw.subarray(0, SCHED_ATTR_SIZE));
  const rflags = Number(a.dv.getBigUint64(8, true) & 0xffffffffn);
  if (rflags & (SCHED_FLAG.UTIL_CLAMP_MIN | SCHED_FLAG.UTIL_CLAMP_MAX) && size < SCHED_ATTR_SIZE) throw err(E.EINVAL);
  const policy = a.dv.getInt32(4, true);
  if (policy < 0) throw err(E.EINVAL);
  const target = taskById(t, pid);
  let req: SchedRequest = {
    policy: rflags & SCHED_FLAG.KEEP_POLICY ? -1 : policy, flags: rflags,
    nice: Math.min(19, Math.max(-20, a.dv.getInt32(16, true))), priority: a.dv.getUint32(20, true),
    runtime: a.dv.getBigUint64(24, true), deadline: a.dv.getBigUint64(32, true), period: a.dv.getBigUint64(40, true),
  };
  if (rflags & SCHED_FLAG.KEEP_PARAMS) req = currentParams(target.sched, req);
  setScheduler(t, target, req);
  return 0;
}

/**
 * sched_getattr(2): struct sched_attr (56 bytes: size, policy, flags, nice, priority, deadline parameters,
 * utilization clamps), as much as the caller's size holds; `size` reports what was written. A fair task's
 * sched_runtime reads 0, as on the Linux 6.1 uname reports (6.12 and later show the slice there); nice shows
 * for the fair and idle policies only; the clamps read 0 (no CONFIG_UCLAMP_TASK).
 */
function getattr(t: Task, pid: number, attr: number, usize: number, flags: number): number {
  if (!attr || pid < 0 || flags !== 0 || usize < SCHED_ATTR_SIZE_VER0 || usize > 4096) throw err(E.EINVAL);
  const s = taskById(t, pid).sched;
  const a = struct(SCHED_ATTR_SIZE);
  const size = Math.min(usize, SCHED_ATTR_SIZE);
  const dl = s.policy === SCHED.DEADLINE;
  a.dv.setUint32(0, size, true);
  a.dv.setUint32(4, s.policy, true);
  a.dv.setBigUint64(8, BigInt((s.resetOnFork ? SCHED_FLAG.RESET_ON_FORK : 0) | s.dlFlags), true);
  a.dv.setInt32(16, isRealtime(s.policy) || dl ? 0 : s.nice, true);
  a.dv.setUint32(20, s.priority, true);
  a.dv.setBigUint64(24, s.runtime, true);
  a.dv.setBigUint64(32, s.deadline, true);
  a.dv.setBigUint64(40, s.period, true);
  t.mem.write(attr, a.u8.subarray(0, size));
  return 0;
}

/** sched_getaffinity(2): the task's mask; the result is the size of the kernel's cpumask (one long). */
function getaffinity(t: Task, pid: number, len: number, mask: number): number {
  if (len * 8 < CPU_COUNT || len % 8) throw err(E.EINVAL);
  t.mem.writeU64(mask, taskById(t, pid).sched.affinity & ONLINE_CPUS);
  return 8;
}

/** sched_setaffinity(2): a mask shorter than a cpumask reads as zero-extended; it must name an online CPU. */
function setaffinity(t: Task, pid: number, len: number, mask: number): number {
  const bytes = t.mem.read(mask, Math.min(len, 8));
  let want = 0n;
  bytes.forEach((b, i) => { want |= BigInt(b) << BigInt(8 * i); });
  const target = taskById(t, pid);
  if (!sameOwner(t, target)) throw err(E.EPERM);
  if (!(want & ONLINE_CPUS)) throw err(E.EINVAL);
  // a deadline task keeps every CPU of its root domain (sched_setaffinity's dl_task_check_affinity)
  if (target.sched.policy === SCHED.DEADLINE && (want & ONLINE_CPUS) !== ONLINE_CPUS) throw err(E.EBUSY);
  target.sched.affinity = want & ONLINE_CPUS;
  return 0;
}

export const schedSyscalls: SyscallDef[] = [
  // getpriority(2) returns 20 - nice (1..40) of the most favoured target
  sys(140, 'getpriority', ['int', 'int'], (t, which, who) => Math.max(...prioTargets(t, which, who).map((p) => 20 - p.sched.nice))),
  partial(141, 'setpriority', ['int', 'int', 'int'], UNENFORCED, setpriority),
  partial(144, 'sched_setscheduler', ['int', 'int', 'ptr'], UNENFORCED, (t, pid, policy, param) => {
    if (policy < 0) throw err(E.EINVAL);
    return setscheduler(t, pid, policy, param);
  }),
  partial(142, 'sched_setparam', ['int', 'ptr'], UNENFORCED, (t, pid, param) => setscheduler(t, pid, -1, param)),
  sys(145, 'sched_getscheduler', ['int'], (t, pid) => {
    if (pid < 0) throw err(E.EINVAL);
    const s = taskById(t, pid).sched;
    return s.policy | (s.resetOnFork ? SCHED_RESET_ON_FORK : 0);
  }),
  sys(143, 'sched_getparam', ['int', 'ptr'], (t, pid, param) => {
    if (!param || pid < 0) throw err(E.EINVAL);
    t.mem.writeI32(param, taskById(t, pid).sched.priority);
    return 0;
  }),
  partial(314, 'sched_setattr', ['int', 'ptr', 'flags'], `${UNENFORCED}; SCHED_FLAG_UTIL_CLAMP_*: EOPNOTSUPP (no CONFIG_UCLAMP_TASK)`, setattr),
  sys(315, 'sched_getattr', ['int', 'ptr', 'uint', 'flags'], getattr),
  sys(146, 'sched_get_priority_max', ['int'], (_t, policy) => priorityRange(policy)[1]),
  sys(147, 'sched_get_priority_min', ['int'], (_t, policy) => priorityRange(policy)[0]),
  sys(204, 'sched_getaffinity', ['int', 'size', 'ptr'], getaffinity),
  partial(203, 'sched_setaffinity', ['int', 'size', 'ptr'], UNENFORCED, setaffinity),
  // sched_yield(2): the others that can run go first
  sys(24, 'sched_yield', [], (t) => { (t as KTask).yieldSlice = true; return 0; }),
  // sched_rr_get_interval(2): SCHED_RR's quantum (sched_rr_timeslice_ms, 100), none for SCHED_FIFO, and
  // for the other policies the slice every task here runs in
  sys(148, 'sched_rr_get_interval', ['int', 'ptr'], (t, pid, tp) => {
    if (pid < 0) throw err(E.EINVAL);
    const { policy } = taskById(t, pid).sched;
    const ns = policy === SCHED.RR ? RR_TIMESLICE_NS : policy === SCHED.FIFO ? 0n : BigInt(SLICE_US) * 1000n;
    writeTimespec(t.mem, tp, ns);
    return 0;
  }),
  // getcpu(2): CPU 0 of NUMA node 0
  sys(309, 'getcpu', ['ptr', 'ptr', 'ptr'], (t, cpu, node) => {
    if (cpu) t.mem.writeU32(cpu, 0);
    if (node) t.mem.writeU32(node, 0);
    return 0;
  }),
];
