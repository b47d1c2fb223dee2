// One thread of a process. Threads of a process share its engine: the thread running holds the engine's
// registers, the others keep theirs in a saved context (the scheduler switches them).
import type { Credentials, Task } from './task.js';
import type { Kernel } from './kernel.js';
import type { KProcess } from './process.js';
import type { FdTable } from '../fs/fd-table.js';
import type { FsContext } from '../fs/fs-context.js';
import type { AddressSpace } from '../mm/address-space.js';
import type { GuestMemory } from '../mm/guest-memory.js';
import type { Engine } from '../cpu/engine.js';
import type { RegName } from '../cpu/cpu.js';
import { commOf } from './process.js';
import type { ChildStart } from './fork.js';
import { SigPending } from './sig-pending.js';
import { IoAccounting } from './io-accounting.js';
import type { AltStack } from './signal-frame.js';
import { WaitQueue, blockers } from './wait-queue.js';
import { RLIMIT } from './rlimits.js';
import { defaultSched, type SchedAttr } from './sched-attr.js';
import type { MemPolicy } from '../mm/mempolicy.js';
import type { Seccomp } from './seccomp.js';
import type { Tracee } from './ptrace.js';

/** A new image waiting to replace the current one once the engine has stopped (execve). */
export interface PendingImage { mm: AddressSpace; entry: number; sp: number; }

export class KTask implements Task {
  clearChildTid = 0;
  /** set_robust_list(2) head (recorded only). */
  robustList = 0;
  sigmask = 0n;
  utimeNs = 0;
  stimeNs = 0;
  readonly ioac = new IoAccounting();
  /** timer_slack_ns and the value 0 restores (the parent's slack when this task was made: prctl(PR_SET_TIMERSLACK)). */
  timerSlackNs = 50000;
  defaultTimerSlackNs = 50000;
  /** The call a parked task waits in: number, six arguments, stack pointer and pc (/proc/<pid>/syscall). */
  blockedCall: bigint[] | null = null;
  /** performance.now() when the running slice began (0 while not running): CPU clocks read mid-slice count it. */
  sliceStart = 0;
  /** System calls made by this thread (telemetry: pbash status). */
  syscalls = 0;
  /** nice, scheduling policy and CPU affinity (sched(7)). */
  sched: SchedAttr = defaultSched();
  /** The thread's NUMA memory policy (set_mempolicy(2)); null: the default. Kept across fork, clone and execve. */
  mempolicy: MemPolicy | null = null;
  /** The result of a blocked syscall; the task is parked until it settles. */
  pending: Promise<number> | null = null;
  /** Set by exitGroup/replaceImage: stop the engine after the current syscall. */
  stopRequested = false;
  /** End the slice after the current syscall and run again only after the tasks it woke (sched_yield). */
  yieldSlice = false;
  newImage: PendingImage | null = null;
  /** A vfork child to hand the engine to once it has stopped. */
  vforkChild: ChildStart | null = null;
  /** Signals sent to this thread (its process's shared ones are in process.sharedPending). */
  readonly sigPending = new SigPending();
  /** Signals pending for this thread: its own and its process's (rt_sigpending, recalc_sigpending). */
  get pendingSigs(): bigint { return this.sigPending.bits | this.process.sharedPending.bits; }
  /** A deliverable signal may have arrived: the scheduler delivers before running the task again. */
  sigDirty = false;
  /** Notified on every signal posted to the task (rt_sigtimedwait, signalfd). */
  readonly sigQueue = new WaitQueue();
  /** Signals a rt_sigtimedwait is waiting for (they wake it even while blocked). */
  sigwaitSet = 0n;
  /** The mask to restore after a sigsuspend/ppoll/pselect once the handler returns. */
  savedMask: bigint | null = null;
  altstack: AltStack | null = null;
  /** The number of the syscall in progress, and the ERESTART* code it ended with (0: none). */
  sysNr = 0;
  restartCode = 0;
  restartBlock: (() => Promise<number>) | null = null;
  /** Its seccomp mode and filter chain (null: none, and dispatch skips the check). Inherited by clone and fork. */
  seccomp: Seccomp | null = null;
  /** The task has ended and left the scheduler. */
  dead = false;
  /** The syscall in progress asked for no SIGPIPE on EPIPE (MSG_NOSIGNAL). */
  noSigpipe = false;
  /** exit(2): only this thread ends. */
  threadExit = false;
  /** This thread's registers while another thread of the process owns the engine (null: it owns them). */
  ctx: object | null = null;
  /** This thread as a tracee (ptrace(2)); null when untraced: the one field the syscall path checks. */
  ptrace: Tracee | null = null;
  /** The threads this one traces. */
  readonly tracees = new Set<Tracee>();
  /** Register writes to apply when the thread next takes the engine (a parked syscall's result, clone's). */
  readonly regWrites: [RegName, number | bigint][] = [];

  constructor(readonly kernel: Kernel, readonly tid: number, readonly process: KProcess,
    public files: FdTable, public fs: FsContext, public creds: Credentials) {
    process.threads.add(this);
  }

  /** User CPU time including the slice running now (all CPU time is counted as user time). */
  get userNs(): number { return this.utimeNs + (this.sliceStart ? (performance.now() - this.sliceStart) * 1e6 : 0); }

  get mem(): GuestMemory { return this.process.mm.memory; }
  get engine(): Engine { return this.process.mm.engine; }
  get cpu(): Engine { return this.process.mm.engine; }

  exitGroup(waitStatus: number): void {
    // the core bit says a core was written: not when RLIMIT_CORE is 0, Linux's usual default (we write none)
    if (waitStatus & 0x80 && this.process.rlimits[RLIMIT.CORE].cur === 0n) waitStatus &= ~0x80;
    if (this.process.exitStatus === null) this.process.exitStatus = waitStatus;
    this.stopRequested = true;
    for (const o of this.process.threads) if (o !== this) blockers.get(o)?.interrupt(); // the whole group goes
  }

  replaceImage(mm: AddressSpace, entry: number, sp: number, exe: string, argv: string[], envp: string[]): void {
    this.newImage = { mm, entry, sp };
    Object.assign(this.process, { exe, argv, envp, comm: commOf(exe) });
    this.process.timers.exec();
    this.stopRequested = true;
  }
}
