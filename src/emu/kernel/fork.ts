// clone(2)/clone3(2) for new processes — fork, vfork and posix_spawn's CLONE_VM|CLONE_VFORK — and threads,
// as kernel/fork.c's copy_process does; clone and clone3 differ only in how their arguments arrive. fork copies the address space into a new engine; vfork lends the parent's engine to the child and parks
// the parent until the child execs or exits (no copy at all).
import { CAP, capable } from './capability.js';
import type { KTask } from './thread.js';
import { KProcess } from './process.js';
import { KTask as Task } from './thread.js';
import { E, err } from './errno.js';
import { RLIMIT } from './rlimits.js';
import { SCHED, forkSched } from './sched-attr.js';
import { forkAddressSpace } from '../mm/fork.js';
import { PidFd } from './pidfd.js';
import { SIG_IGN } from './signals.js';
import { O } from '../fs/constants.js';
import { tracedClone } from './ptrace-syscall.js';

export const CLONE = {
  VM: 0x100, FS: 0x200, FILES: 0x400, SIGHAND: 0x800, PIDFD: 0x1000, PTRACE: 0x2000, VFORK: 0x4000,
  PARENT: 0x8000, THREAD: 0x10000, NEWNS: 0x20000, SYSVSEM: 0x40000, SETTLS: 0x80000, PARENT_SETTID: 0x100000,
  CHILD_CLEARTID: 0x200000, DETACHED: 0x400000, UNTRACED: 0x800000, CHILD_SETTID: 0x1000000,
  NEWCGROUP: 0x2000000, NEWUTS: 0x4000000, NEWIPC: 0x8000000, NEWUSER: 0x10000000, NEWPID: 0x20000000,
  NEWNET: 0x40000000, IO: 0x80000000, NEWTIME: 0x80,
} as const;
// CLONE_NEWTIME shares CSIGNAL's bits: only clone3 can ask for it (clone's low byte is the exit signal)
const NAMESPACES = CLONE.NEWTIME | CLONE.NEWNS | CLONE.NEWCGROUP | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWUSER | CLONE.NEWPID | CLONE.NEWNET;

/**
 * kernel_clone_args: `flags` without the exit signal (clone's CSIGNAL byte, clone3's exit_signal); `pidfd`
 * is where CLONE_PIDFD stores the new pidfd; `setTid` the pid clone3 asked for (null: any); `clearSighand` is
 * clone3's CLONE_CLEAR_SIGHAND (beyond 32 bits).
 */
export interface CloneArgs {
  flags: number; exitSignal: number; newsp: number; ptid: number; ctid: number; tls: number;
  pidfd: number; setTid: number | null; clearSighand: boolean;
}

/** The arguments of fork(2)/vfork(2)-like clones: only flags and the exit signal. */
export const simpleClone = (flags: number, exitSignal: number): CloneArgs =>
  ({ flags, exitSignal, newsp: 0, ptid: 0, ctid: 0, tls: 0, pidfd: 0, setTid: null, clearSighand: false });

/** Registers the child starts with besides the parent's (applied once its engine is its own to run). */
export interface ChildStart { task: KTask; newsp: number; tls: number | null; }

/** copy_process's checks of flag combinations, in its order (all EINVAL), then namespaces (not provided). */
function checkFlags(a: CloneArgs): void {
  const { flags } = a;
  const both = (x: number, y: number): boolean => (flags & x) !== 0 && (flags & y) !== 0;
  if (both(CLONE.NEWNS, CLONE.FS) || both(CLONE.NEWUSER, CLONE.FS)) throw err(E.EINVAL);
  if ((flags & CLONE.THREAD) && !(flags & CLONE.SIGHAND)) throw err(E.EINVAL);
  if ((flags & CLONE.SIGHAND) && !(flags & CLONE.VM)) throw err(E.EINVAL);
  if (both(CLONE.THREAD, CLONE.NEWUSER | CLONE.NEWPID)) throw err(E.EINVAL);
  // 6.1: a pidfd names a thread group, so CLONE_THREAD cannot have one; CLONE_DETACHED stays reserved
  if (both(CLONE.PIDFD, CLONE.DETACHED | CLONE.THREAD)) throw err(E.EINVAL);
  if (both(CLONE.PIDFD, CLONE.PARENT_SETTID) && a.pidfd === a.ptid) throw err(E.EINVAL);
  if (flags & NAMESPACES) throw err(E.EPERM, 'namespaces are not provided');
}

/** clone3's set_tid: checkpoint_restore_ns_capable (CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN). */
const mayChoosePid = (t: KTask): boolean => capable(t.creds, CAP.CHECKPOINT_RESTORE) || capable(t.creds, CAP.SYS_ADMIN);

export function cloneProcess(t: KTask, a: CloneArgs): number {
  const { flags } = a;
  checkFlags(a);
  if (flags & CLONE.THREAD) return cloneThread(t, a);
  if ((flags & CLONE.VM) && !(flags & CLONE.VFORK)) throw err(E.ENOSYS, 'CLONE_VM without CLONE_VFORK needs threads');
  const kernel = t.kernel, caller = t.process;
  checkTaskLimits(t);
  // EFAULT and EMFILE now, before anything is created (copy_process reserves the pidfd's fd first)
  if (flags & CLONE.PIDFD) { t.mem.slices(a.pidfd, 4, true); t.files.lowestFree(); }
  // CLONE_PARENT: a sibling of the caller, reported to the caller's parent with the caller's exit signal
  const parent = flags & CLONE.PARENT ? caller.parent : caller;
  const vfork = (flags & CLONE.VFORK) !== 0;
  const pid = a.setTid !== null ? kernel.claimPid(a.setTid, mayChoosePid(t)) : kernel.allocPid();
  const mm = vfork ? caller.mm : forkAddressSpace(caller.mm);
  const proc = new KProcess(pid, flags & CLONE.PARENT ? caller.ppid : caller.pid, mm, caller.exe, caller.argv, caller.envp,
    process.hrtime.bigint() - kernel.bootHr);
  proc.pgid = caller.pgid;
  proc.sid = caller.sid;
  proc.comm = caller.comm;
  proc.ctty = caller.ctty;
  proc.oomScoreAdj = caller.oomScoreAdj;
  proc.rlimits = caller.rlimits.map((l) => ({ ...l }));
  proc.timers.rlimitCpu(); // the CPU limit holds for the child's own CPU time
  // CLONE_CLEAR_SIGHAND: handlers back to SIG_DFL, ignored signals stay ignored (flush_signal_handlers)
  proc.sigactions = caller.sigactions.map((s) => (a.clearSighand && s.handler !== SIG_IGN
    ? { handler: 0n, flags: 0n, restorer: 0n, mask: 0n } : { ...s }));
  proc.parent = parent;
  proc.exitSignal = flags & CLONE.PARENT ? caller.exitSignal : a.exitSignal;
  proc.noNewPrivs = caller.noNewPrivs; // inherited by children, kept across execve (prctl(2))
  proc.keepCaps = caller.keepCaps;
  proc.personality = caller.personality;
  proc.loginuid = caller.loginuid;
  proc.sessionid = caller.sessionid;
  proc.coredumpFilter = caller.coredumpFilter;
  parent?.children.add(proc);
  const files = flags & CLONE.FILES ? t.files : t.files.clone();
  const fs = flags & CLONE.FS ? t.fs : t.fs.clone();
  const child = new Task(kernel, pid, proc, files, fs, { ...t.creds, groups: [...t.creds.groups] });
  child.sigmask = t.sigmask;
  child.seccomp = t.seccomp; // the filter chain is shared, as copy_seccomp takes a reference
  child.sched = forkSched(t.sched);
  child.mempolicy = t.mempolicy;
  child.timerSlackNs = child.defaultTimerSlackNs = t.timerSlackNs;
  if (flags & CLONE.CHILD_CLEARTID) child.clearChildTid = a.ctid;
  kernel.tasks.set(pid, child);
  if (t.ptrace) tracedClone(t, child, flags, a.exitSignal);
  if (flags & CLONE.PIDFD) t.mem.writeI32(a.pidfd, t.files.install(new PidFd(proc, O.RDWR), true));
  if (flags & CLONE.PARENT_SETTID) putTid(t, a.ptid, pid);
  const start: ChildStart = { task: child, newsp: a.newsp, tls: flags & CLONE.SETTLS ? a.tls : null };
  if (vfork) {
    lendEngine(t, start);
    if (flags & CLONE.CHILD_SETTID) putTid(t, a.ctid, pid);
    return 0; // RAX of the engine now running the child
  }
  if (flags & CLONE.CHILD_SETTID) putTid(child, a.ctid, pid);
  const engine = mm.engine;
  engine.restoreContext(t.engine.saveContext());
  engine.set('rax', 0);
  applyStart(start);
  kernel.scheduler.start(child);
  return pid;
}

/**
 * A new thread of the caller's process (pthread_create): same memory, files, fs and handlers; its
 * registers are the caller's at the clone, with RAX 0, its own stack and TLS (copy_thread).
 */
function cloneThread(t: KTask, a: CloneArgs): number {
  const { flags } = a;
  if (flags & CLONE.VFORK) throw err(E.EINVAL);
  const kernel = t.kernel;
  checkTaskLimits(t);
  const tid = a.setTid !== null ? kernel.claimPid(a.setTid, mayChoosePid(t)) : kernel.allocPid();
  const files = flags & CLONE.FILES ? t.files : t.files.clone();
  const fs = flags & CLONE.FS ? t.fs : t.fs.clone();
  const child = new Task(kernel, tid, t.process, files, fs, { ...t.creds, groups: [...t.creds.groups] });
  child.sigmask = t.sigmask;
  child.seccomp = t.seccomp;
  child.sched = forkSched(t.sched);
  child.mempolicy = t.mempolicy;
  child.timerSlackNs = child.defaultTimerSlackNs = t.timerSlackNs;
  if (flags & CLONE.CHILD_CLEARTID) child.clearChildTid = a.ctid;
  child.ctx = t.engine.saveContext();
  child.regWrites.push(['rax', 0]);
  if (a.newsp) child.regWrites.push(['rsp', a.newsp]);
  if (flags & CLONE.SETTLS) child.regWrites.push(['fs_base', a.tls]);
  if (flags & CLONE.PARENT_SETTID) putTid(t, a.ptid, tid);
  if (flags & CLONE.CHILD_SETTID) putTid(t, a.ctid, tid);
  kernel.tasks.set(tid, child);
  if (t.ptrace) tracedClone(t, child, flags, a.exitSignal);
  kernel.scheduler.startThread(child);
  return tid;
}

/** CLONE_PARENT_SETTID/CHILD_SETTID: a bad address is ignored once the child exists (put_user's result unused). */
function putTid(t: KTask, addr: number, tid: number): void {
  try { t.mem.writeU32(addr, tid); } catch { /* as kernel_clone and schedule_tail ignore the fault */ }
}

/** The child's own stack pointer and TLS, when clone asked for them. */
export function applyStart(s: ChildStart): void {
  if (s.newsp) s.task.engine.set('rsp', s.newsp);
  if (s.tls !== null) s.task.engine.set('fs_base', s.tls);
}

/** vfork: the child runs on the parent's engine; the parent parks until the child gives it back. */
function lendEngine(t: KTask, start: ChildStart): void {
  const ctx = t.engine.saveContext();
  const child = start.task;
  t.pending = new Promise<number>((resolve) => {
    child.process.vfork = {
      release: () => {
        t.engine.restoreContext(ctx);
        t.kernel.scheduler.attach(t);
        resolve(child.tid);
      },
    };
  });
  t.vforkChild = start;
  t.stopRequested = true;
}

/**
 * copy_process's limits, threads included: the kernel-wide task limit for everyone, RLIMIT_NPROC against
 * the tasks of the caller's real uid unless it is root (CAP_SYS_RESOURCE), and sched_fork's refusal of a
 * SCHED_DEADLINE caller without reset-on-fork. All give EAGAIN.
 */
function checkTaskLimits(t: KTask): void {
  const kernel = t.kernel;
  if (kernel.tasks.size >= kernel.maxTasks) throw err(E.EAGAIN, 'the kernel-wide task limit is reached');
  if (t.sched.policy === SCHED.DEADLINE && !t.sched.resetOnFork) throw err(E.EAGAIN);
  if (t.creds.uid === 0 || capable(t.creds, CAP.SYS_RESOURCE) || capable(t.creds, CAP.SYS_ADMIN)) return;
  const limit = t.process.rlimits[RLIMIT.NPROC].cur;
  let n = 0n;
  for (const task of kernel.tasks.values()) if (task.creds.uid === t.creds.uid) n++;
  if (n >= limit) throw err(E.EAGAIN);
}
