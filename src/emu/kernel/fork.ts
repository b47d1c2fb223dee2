// clone(2) for new processes — fork, vfork and posix_spawn's CLONE_VM|CLONE_VFORK — as kernel/fork.c does.
// fork copies the address space into a new engine; vfork lends the parent's engine to the child and parks
// the parent until the child execs or exits (no copy at all).
import type { KTask } from './thread.js';
import { KProcess } from './process.js';
import { KTask as Task } from './thread.js';
import { E, err } from './errno.js';
import { RLIMIT } from './rlimits.js';
import { forkSched } from './sched-attr.js';
import { forkAddressSpace } from '../mm/fork.js';

export const CLONE = {
  VM: 0x100, FS: 0x200, FILES: 0x400, SIGHAND: 0x800, PIDFD: 0x1000, PTRACE: 0x2000, VFORK: 0x4000,
  PARENT: 0x8000, THREAD: 0x10000, NEWNS: 0x20000, SYSVSEM: 0x40000, SETTLS: 0x80000, PARENT_SETTID: 0x100000,
  CHILD_CLEARTID: 0x200000, DETACHED: 0x400000, UNTRACED: 0x800000, CHILD_SETTID: 0x1000000,
  NEWCGROUP: 0x2000000, NEWUTS: 0x4000000, NEWIPC: 0x8000000, NEWUSER: 0x10000000, NEWPID: 0x20000000,
  NEWNET: 0x40000000, IO: 0x80000000,
} as const;
const NAMESPACES = CLONE.NEWNS | CLONE.NEWCGROUP | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWUSER | CLONE.NEWPID | CLONE.NEWNET;

export interface CloneArgs { flags: number; newsp: number; ptid: number; ctid: number; tls: number; }

/** Registers the child starts with besides the parent's (applied once its engine is its own to run). */
export interface ChildStart { task: KTask; newsp: number; tls: number | null; }

export function cloneProcess(t: KTask, a: CloneArgs): number {
  const { flags } = a;
  if (flags & NAMESPACES) throw err(E.EPERM, 'namespaces are not provided');
  if (flags & CLONE.THREAD) return cloneThread(t, a);
  if ((flags & CLONE.SIGHAND) && !(flags & CLONE.VM)) throw err(E.EINVAL);
  if ((flags & CLONE.VM) && !(flags & CLONE.VFORK)) throw err(E.ENOSYS, 'CLONE_VM without CLONE_VFORK needs threads');
  const kernel = t.kernel, parent = t.process;
  checkTaskLimits(t);
  const vfork = (flags & CLONE.VFORK) !== 0;
  const mm = vfork ? parent.mm : forkAddressSpace(parent.mm);
  const pid = kernel.allocPid();
  const proc = new KProcess(pid, parent.pid, mm, parent.exe, parent.argv, parent.envp, process.hrtime.bigint() - kernel.bootHr);
  proc.pgid = parent.pgid;
  proc.sid = parent.sid;
  proc.comm = parent.comm;
  proc.ctty = parent.ctty;
  proc.oomScoreAdj = parent.oomScoreAdj;
  proc.rlimits = parent.rlimits.map((l) => ({ ...l }));
  proc.timers.rlimitCpu(); // the CPU limit holds for the child's own CPU time
  proc.sigactions = parent.sigactions.map((s) => ({ ...s }));
  proc.parent = parent;
  proc.exitSignal = flags & 0xff;
  proc.noNewPrivs = parent.noNewPrivs; // inherited by children, kept across execve (prctl(2))
  parent.children.add(proc);
  const files = flags & CLONE.FILES ? t.files : t.files.clone();
  const fs = flags & CLONE.FS ? t.fs : t.fs.clone();
  const child = new Task(kernel, pid, proc, files, fs, { ...t.creds, groups: [...t.creds.groups] });
  child.sigmask = t.sigmask;
  child.sched = forkSched(t.sched);
  if (flags & CLONE.CHILD_CLEARTID) child.clearChildTid = a.ctid;
  kernel.tasks.set(pid, child);
  if (flags & CLONE.PARENT_SETTID) t.mem.writeU32(a.ptid, pid);
  const start: ChildStart = { task: child, newsp: a.newsp, tls: flags & CLONE.SETTLS ? a.tls : null };
  if (vfork) {
    lendEngine(t, start);
    if (flags & CLONE.CHILD_SETTID) t.mem.writeU32(a.ctid, pid);
    return 0; // RAX of the engine now running the child
  }
  if (flags & CLONE.CHILD_SETTID) child.mem.writeU32(a.ctid, pid);
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
  const need = CLONE.VM | CLONE.SIGHAND;
  if ((flags & need) !== need || flags & CLONE.VFORK) throw err(E.EINVAL);
  const kernel = t.kernel;
  checkTaskLimits(t);
  const tid = kernel.allocPid();
  const files = flags & CLONE.FILES ? t.files : t.files.clone();
  const fs = flags & CLONE.FS ? t.fs : t.fs.clone();
  const child = new Task(kernel, tid, t.process, files, fs, { ...t.creds, groups: [...t.creds.groups] });
  child.sigmask = t.sigmask;
  child.sched = forkSched(t.sched);
  if (flags & CLONE.CHILD_CLEARTID) child.clearChildTid = a.ctid;
  child.ctx = t.engine.saveContext();
  child.regWrites.push(['rax', 0]);
  if (a.newsp) child.regWrites.push(['rsp', a.newsp]);
  if (flags & CLONE.SETTLS) child.regWrites.push(['fs_base', a.tls]);
  if (flags & CLONE.PARENT_SETTID) t.mem.writeU32(a.ptid, tid);
  if (flags & CLONE.CHILD_SETTID) t.mem.writeU32(a.ctid, tid);
  kernel.tasks.set(tid, child);
  kernel.scheduler.startThread(child);
  return tid;
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
 * copy_process's limits, threads included: the kernel-wide task limit for everyone, and RLIMIT_NPROC against
 * the tasks of the caller's real uid unless it is root (CAP_SYS_RESOURCE). Both give EAGAIN.
 */
function checkTaskLimits(t: KTask): void {
  const kernel = t.kernel;
  if (kernel.tasks.size >= kernel.maxTasks) throw err(E.EAGAIN, 'the kernel-wide task limit is reached');
  if (t.creds.uid === 0 || t.creds.euid === 0) return;
  const limit = t.process.rlimits[RLIMIT.NPROC].cur;
  let n = 0n;
  for (const task of kernel.tasks.values()) if (task.creds.uid === t.creds.uid) n++;
  if (n >= limit) throw err(E.EAGAIN);
}
