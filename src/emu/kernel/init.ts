// pid 1, the instance's init (as WSL's /init): a process that runs no guest code. It is there because every
// Linux system has one — ps and pstree show it as the root of the tree, /proc/1 exists, kill(1, 0) answers —
// and it is the reaper: orphans are reparented to it and, its SIGCHLD being ignored, reaped at once.
import type { Kernel } from './kernel.js';
import { KProcess } from './process.js';
import { KTask } from './thread.js';
import { SIG, SIG_IGN } from './signals.js';
import { rootCreds } from './spawn.js';
import { AddressSpace } from '../mm/address-space.js';
import { FdTable } from '../fs/fd-table.js';
import { FsContext } from '../fs/fs-context.js';

export function createInit(kernel: Kernel): KProcess {
  const proc = new KProcess(1, 0, AddressSpace.create('/init'), '/init', ['/init'], [], 0n);
  proc.unkillable = true;
  proc.sigactions[SIG.SIGCHLD].handler = SIG_IGN;
  const task = new KTask(kernel, 1, proc, new FdTable(), new FsContext(kernel.vfs.top, kernel.vfs.top), rootCreds());
  task.pending = new Promise<number>(() => {}); // asleep for good: ps shows S
  kernel.tasks.set(1, task);
  return proc;
}
