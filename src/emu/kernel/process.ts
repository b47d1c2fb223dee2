// A Linux process (thread group): what its threads share, and its place in the process tree.
import { SigPending } from './sig-pending.js';
import { IoAccounting } from './io-accounting.js';
import type { AddressSpace } from '../mm/address-space.js';
import type { Process } from './task.js';
import { defaultRlimits, type RLimit } from './rlimits.js';
import { NSIG, SIG_DFL, type SigAction } from './signals.js';
import type { KTask } from './thread.js';
import { WaitQueue } from './wait-queue.js';
import { ProcessTimers } from './process-timers.js';
import { exitSemUndo } from './ipc/sem-undo.js';

/** A vfork child borrowing its parent's address space until it execs or exits (kernel/fork.c, CLONE_VFORK). */
export interface VforkLoan { release: () => void; }

export class KProcess implements Process {
  ppid: number;
  pgid: number;
  sid: number;
  comm: string;
  exitStatus: number | null = null;
  rlimits: RLimit[] = defaultRlimits();
  sigactions: SigAction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n }));
  readonly startNs: bigint;
  parent: KProcess | null = null;
  /** The live threads (tasks) of this process; the leader's tid is the pid. */
  readonly threads = new Set<KTask>();
  /** Signals sent to the process as a whole, taken by whichever thread gets to them first. */
  readonly sharedPending = new SigPending();
  readonly children = new Set<KProcess>();
  /** Notified when the last thread has gone (pidfd pollers). */
  readonly exitQueue = new WaitQueue();
  /** Reaped by wait(2) or init: the pid no longer names this process (a pidfd's fdinfo shows -1). */
  reaped = false;
  /** Ended while traced: its real parent hears of it once the tracer has collected its exit (ptrace(2)). */
  traceHeld = false;
  /** Notified whenever a child changes state (wait4/waitid re-check). */
  readonly childQueue = new WaitQueue();
  /** Job control: the signal that stopped the process (0 when running), its tasks parked meanwhile, and the
   * last stop/continue not yet reported to wait(2) with WUNTRACED/WCONTINUED. */
  stopSig = 0;
  readonly stoppedTasks = new Set<KTask>();
  waitEvent: 'stopped' | 'continued' | null = null;
  /** prctl(PR_SET_PDEATHSIG): the signal this process gets when its parent dies (0: none; not inherited). */
  pdeathSignal = 0;
  /** prctl(PR_SET_NO_NEW_PRIVS): one-way; execve can grant no new privileges (there are none to grant here). */
  noNewPrivs = false;
  /** prctl(PR_SET_KEEPCAPS) (SECBIT_KEEP_CAPS): inherited at fork, cleared by execve (capabilities(7)). */
  keepCaps = false;
  /** /proc/<pid>/oom_score_adj (-1000..1000), inherited at fork; nothing is ever OOM-killed by the instance. */
  oomScoreAdj = 0;
  /** init (SIGNAL_UNKILLABLE): it has no handlers, so every signal sent to it is dropped (kernel/signal.c sig_task_ignored). */
  unkillable = false;
  /** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are reparented here instead of to init. */
  subreaper = false;
  /** The signal the parent gets when this process ends (clone's low byte; SIGCHLD for fork). */
  exitSignal = 17;
  /** The controlling terminal (set by TIOCSCTTY or the session's first open of a tty); cleared by setsid. */
  ctty: object | null = null;
  /** personality(2): the execution domain and its flags, inherited by fork. */
  personality = 0;
  /** The process has called execve (setpgid on it from its parent is then EACCES). */
  execed = false;
  /** Set while this process is the proxy of a running host program: signals posted to it go there. */
  hostProxy: { signal(t: KTask, sig: number): void; readonly hostPid: number } | null = null;
  /** Set while this process runs on its vfork parent's memory. */
  vfork: VforkLoan | null = null;
  /** Children's CPU time, accounted when they are reaped (times(2), RUSAGE_CHILDREN). */
  childUtimeNs = 0;
  childStimeNs = 0;
  /** Peak resident bytes of the address spaces this process has left (exec, exit), and the largest peak of
   * its reaped children and their descendants (signal_struct maxrss, cmaxrss: ru_maxrss). */
  maxrss = 0;
  cmaxrss = 0;
  /** alarm/setitimer, timer_create and the CPU-clock timers the scheduler polls. */
  readonly timers = new ProcessTimers(this);
  /** CPU time of this process's threads that have ended. */
  utimeNs = 0;
  /** The audit login uid and session (AUDIT_UID_UNSET, AUDIT_SID_UNSET until pam_loginuid sets them), inherited at
   *  fork; Linux keeps them per thread, written only by the thread itself, so the leader's stand for the process here. */
  loginuid = 0xffffffff;
  sessionid = 0xffffffff;
  /** coredump_filter (mm->flags' MMF_DUMP_FILTER bits): inherited at fork and across execve. */
  coredumpFilter = 0x33;
  /** I/O accounting of this process's threads that have ended (signal_struct ioac). */
  readonly ioac = new IoAccounting();
  stimeNs = 0;
  /** Resolves with the wait status when the process has exited (it may still be an unreaped zombie). */
  readonly exited: Promise<number>;
  private resolveExited!: (status: number) => void;

  constructor(readonly pid: number, ppid: number, public mm: AddressSpace, public exe: string,
    public argv: string[], public envp: string[], startNs: bigint) {
    this.ppid = ppid;
    this.pgid = pid;
    this.sid = pid;
    this.comm = commOf(exe);
    this.startNs = startNs;
    this.exited = new Promise((r) => { this.resolveExited = r; });
  }

  get zombie(): boolean { return this.exitStatus !== null; }

  /** The last thread is gone: undo its SEM_UNDO changes, give back the memory (or the vfork loan), become a
   * zombie, tell the parent. */
  exit(): void {
    this.timers.exit();
    exitSemUndo(this);
    this.leaveMemory(this.mm);
    if (this.vfork) { this.vfork.release(); this.vfork = null; } else this.mm.close();
    this.resolveExited(this.exitStatus ?? 0);
    this.exitQueue.notify();
  }

  childChanged(): void { this.childQueue.notify(); }

  /** The process leaves `mm` (exec, exit; a vfork child leaves its parent's): its peak counts into maxrss. */
  leaveMemory(mm: AddressSpace): void { this.maxrss = Math.max(this.maxrss, mm.peak.rss); }

  /** ru_maxrss of RUSAGE_SELF in bytes: the images left behind and the current one's high-water mark. */
  peakRss(): number { return this.zombie ? this.maxrss : Math.max(this.maxrss, this.mm.peak.rss); }

  /** CPU time of the whole process, its ended threads' and its live ones' (RUSAGE_SELF, CLOCK_PROCESS_CPUTIME_ID). */
  cpuTime(): { utimeNs: number; stimeNs: number } {
    let utimeNs = this.utimeNs, stimeNs = this.stimeNs;
    for (const t of this.threads) { utimeNs += t.userNs; stimeNs += t.stimeNs; }
    return { utimeNs, stimeNs };
  }
}

/** comm is the last path component, truncated to TASK_COMM_LEN - 1 = 15 bytes (fs/exec.c __set_task_comm). */
export const commOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1).slice(0, 15);

/** Remove a zombie from the tree, adding its CPU time to its parent's children's time. */
export function reap(proc: KProcess): void {
  const parent = proc.parent;
  if (parent) {
    parent.children.delete(proc);
    parent.childUtimeNs += proc.utimeNs + proc.childUtimeNs;
    parent.childStimeNs += proc.stimeNs + proc.childStimeNs;
    parent.cmaxrss = Math.max(parent.cmaxrss, proc.maxrss, proc.cmaxrss);
  }
  proc.parent = null;
  proc.reaped = true;
}
