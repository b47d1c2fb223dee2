// Build the VFS of a kernel: hostfs at /, devfs at /dev, procfs at /proc, sysfs at /sys.
// The mounts hide the host's own /dev, /proc and /sys even when the root is the host's "/".
import type { Kernel } from '../kernel/kernel.js';
import { DevFs } from './devfs/devfs.js';
import { HostFs } from './hostfs/hostfs.js';
import { ProcFs } from './procfs/procfs.js';
import { SysFs } from './sysfs/sysfs.js';
import { Vfs } from './vfs.js';

export interface VfsOptions {
  /** Host directory served as the root filesystem. */
  root: string;
}

export function createVfs(kernel: Kernel, opts: VfsOptions): Vfs {
  const vfs = new Vfs(new HostFs(opts.root));
  vfs.mount('/dev', new DevFs());
  vfs.mount('/proc', new ProcFs(kernel));
  vfs.mount('/sys', new SysFs());
  return vfs;
}
