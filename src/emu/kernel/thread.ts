// One thread of a process: its registers live in the process's engine (one thread per process for now;
// threads as switched register contexts come with the Processes work).
import type { Credentials, Task } from './task.js';
import type { Kernel } from './kernel.js';
import type { KProcess } from './process.js';
import type { FdTable } from '../fs/fd-table.js';
import type { FsContext } from '../fs/fs-context.js';
import type { AddressSpace } from '../mm/address-space.js';
import type { GuestMemory } from '../mm/guest-memory.js';
import type { Engine } from '../cpu/engine.js';
import { commOf } from './process.js';
import type { ChildStart } from './fork.js';

/** A new image waiting to replace the current one once the engine has stopped (execve). */
export interface PendingImage { mm: AddressSpace; entry: number; sp: number; }

export class KTask implements Task {
  clearChildTid = 0;
  sigmask = 0n;
  utimeNs = 0;
  stimeNs = 0;
  /** The result of a blocked syscall; the task is parked until it settles. */
  pending: Promise<number> | null = null;
  /** Set by exitGroup/replaceImage: stop the engine after the current syscall. */
  stopRequested = false;
  newImage: PendingImage | null = null;
  /** A vfork child to hand the engine to once it has stopped. */
  vforkChild: ChildStart | null = null;

  constructor(readonly kernel: Kernel, readonly tid: number, readonly process: KProcess,
    public files: FdTable, public fs: FsContext, public creds: Credentials) {}

  get mem(): GuestMemory { return this.process.mm.memory; }
  get engine(): Engine { return this.process.mm.engine; }
  get cpu(): Engine { return this.process.mm.engine; }

  exitGroup(waitStatus: number): void {
    if (this.process.exitStatus === null) this.process.exitStatus = waitStatus;
    this.stopRequested = true;
  }

  replaceImage(mm: AddressSpace, entry: number, sp: number, exe: string, argv: string[], envp: string[]): void {
    this.newImage = { mm, entry, sp };
    Object.assign(this.process, { exe, argv, envp, comm: commOf(exe) });
    this.stopRequested = true;
  }
}
