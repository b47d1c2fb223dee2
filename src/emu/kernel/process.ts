// A Linux process (thread group): what its threads share.
import type { AddressSpace } from '../mm/address-space.js';
import type { Process } from './task.js';
import { defaultRlimits, type RLimit } from './rlimits.js';
import { NSIG, SIG_DFL, type SigAction } from './signals.js';

export class KProcess implements Process {
  ppid: number;
  pgid: number;
  sid: number;
  comm: string;
  exitStatus: number | null = null;
  rlimits: RLimit[] = defaultRlimits();
  sigactions: SigAction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n }));
  readonly startNs: bigint;
  /** Resolves with the wait status when the last thread is gone and the address space is released. */
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

  /** The process is gone: release its memory and tell whoever waits. */
  reap(): void {
    this.mm.close();
    this.resolveExited(this.exitStatus ?? 0);
  }
}

/** comm is the last path component, truncated to TASK_COMM_LEN - 1 = 15 bytes (fs/exec.c __set_task_comm). */
export const commOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1).slice(0, 15);
