// The machine's memory as the instance reports it (sysinfo(2), /proc/meminfo, free): the host's RAM and what
// it has available, with the instance's own in-memory files (tmpfs) as Shmem.
import { freemem, totalmem } from 'node:os';
import type { Kernel } from './kernel.js';

export interface MemInfo {
  total: number;
  /** Host memory available to new allocations (Node's freemem reads the host's MemAvailable on Linux). */
  free: number;
  /** Bytes held by in-memory filesystems (tmpfs): Shmem, sysinfo's sharedram. */
  shmem: number;
}

export function memInfo(kernel: Kernel): MemInfo {
  const seen = new Set<object>();
  let shmem = 0;
  for (const m of kernel.vfs.mounts.all()) {
    if (seen.has(m.fs)) continue;
    seen.add(m.fs);
    shmem += m.fs.memBytes?.() ?? 0;
  }
  return { total: totalmem(), free: freemem(), shmem };
}
