// Build the VFS of a kernel: hostfs at /, devfs at /dev, devpts at /dev/pts, procfs at /proc, sysfs at /sys.
// The mounts hide the host's own /dev, /proc and /sys even when the root is the host's "/".
import type { Kernel } from '../kernel/kernel.js';
import { DevFs } from './devfs/devfs.js';
import { DevPtsFs } from './tty/devpts.js';
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
  const devpts = new DevPtsFs(kernel);
  vfs.mount('/dev', new DevFs(devpts));
  vfs.mount('/dev/pts', devpts);
  vfs.mount('/proc', new ProcFs(kernel));
  vfs.mount('/sys', new SysFs());
  return vfs;
}
