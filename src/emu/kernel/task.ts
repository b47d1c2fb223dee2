// The small Task interface syscall handlers are written against (one thread of a Linux process).
// Keeping handlers on this interface lets engines later move to worker threads without touching them.
import type { IoAccounting } from './io-accounting.js';
import type { GuestMemory } from '../mm/guest-memory.js';
import type { AddressSpace } from '../mm/address-space.js';
import type { FdTable } from '../fs/fd-table.js';
import type { FsContext } from '../fs/fs-context.js';
import type { Kernel } from './kernel.js';
import type { Cpu } from '../cpu/cpu.js';
import type { RLimit } from './rlimits.js';
import type { SigAction } from './signals.js';
import type { CapSets } from './capability.js';

/** struct cred (include/linux/cred.h): real, effective, saved and filesystem ids, and the capability sets. */
export interface Credentials extends CapSets {
  uid: number; euid: number; suid: number; fsuid: number;
  gid: number; egid: number; sgid: number; fsgid: number;
  groups: number[];
}

/** What the process (thread group) owns. */
export interface Process {
  readonly pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** comm: the executable's base name, 15 bytes max (prctl PR_SET_NAME). */
  comm: string;
  /** Absolute guest path of the running image (/proc/self/exe). */
  exe: string;
  argv: string[];
  envp: string[];
  mm: AddressSpace;
  /** Wait status as wait(2) encodes it, once the process has ended. */
  exitStatus: number | null;
  rlimits: RLimit[];
  /** Indexed by signal number (1..64). */
  sigactions: SigAction[];
  /** Monotonic ns (kernel.bootHr based) when the process started: /proc/pid/stat starttime. */
  readonly startNs: bigint;
  /** CPU time of reaped children (times(2), RUSAGE_CHILDREN). */
  childUtimeNs: number;
  childStimeNs: number;
}

export interface Task {
  readonly kernel: Kernel;
  readonly tid: number;
  readonly process: Process;
  /** Accessors over the current address space (EFAULT on bad pointers). */
  readonly mem: GuestMemory;
  readonly files: FdTable;
  readonly fs: FsContext;
  readonly creds: Credentials;
  /** Registers of this thread (valid inside a syscall: RIP points after the syscall instruction). */
  readonly cpu: Cpu;
  /** set_tid_address(2) target, cleared and futex-woken on exit. */
  clearChildTid: number;
  /** Blocked signals (rt_sigprocmask(2)), bit n-1 for signal n. */
  sigmask: bigint;
  /** CPU time consumed, ns (user: guest code; sys: our handlers). */
  utimeNs: number;
  stimeNs: number;
  /** Bytes and calls of the read and write families (/proc/<pid>/io). */
  readonly ioac: IoAccounting;
  /**
   * How restart_syscall(2) resumes the call a signal interrupted with ERESTART_RESTARTBLOCK (the rest of a
   * sleep, not the whole of it: the kernel's restart_block); null when none is pending.
   */
  restartBlock: (() => Promise<number>) | null;
  /** End the whole process with a wait(2) status (exit_group, fatal signal). Stops the engine after the current syscall. */
  exitGroup(waitStatus: number): void;
  /** Replace the running image (execve): the engine changes, so the current slice stops after this syscall. */
  replaceImage(mm: AddressSpace, entry: number, sp: number, exe: string, argv: string[], envp: string[]): void;
}
