// Build the VFS of a kernel: the root filesystem (hostfs over a host directory, or the VolFs store of an
// installed distro) at /, devfs at /dev, devpts at /dev/pts, procfs at /proc, sysfs at /sys, and the
// character devices that device nodes of the root filesystem open. The mounts hide the host's own /dev,
// /proc and /sys even when the root is the host's "/".
import { E, err } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { DevFs } from './devfs/devfs.js';
import { openMemDevice } from './devfs/devices.js';
import { DevPtsFs, TTYAUX_MAJOR, UNIX98_PTY_SLAVE_MAJOR } from './tty/devpts.js';
import { openCurrentTty } from './tty/devtty.js';
import { HostFs } from './hostfs/hostfs.js';
import type { FileSystem } from './node.js';
import { ProcFs } from './procfs/procfs.js';
import { SysFs } from './sysfs/sysfs.js';
import { Vfs } from './vfs.js';
import { VolFs } from './volfs/volfs.js';

export interface VfsOptions {
  /** Host directory: served as the root (hostfs), or, with rootType 'volfs', the distro directory of a VolFs store. */
  root: string;
  /** 'hostfs' (default) or 'volfs'. */
  rootType?: RootType;
}
export type RootType = 'hostfs' | 'volfs';

const MEM_MAJOR = 1;

export function createVfs(kernel: Kernel, opts: VfsOptions): Vfs {
  const rootFs: FileSystem = opts.rootType === 'volfs' ? new VolFs(opts.root) : new HostFs(opts.root);
  const vfs = new Vfs(rootFs);
  const devpts = new DevPtsFs(kernel);
  vfs.mount('/dev', new DevFs(devpts));
  vfs.mount('/dev/pts', devpts);
  vfs.mount('/proc', new ProcFs(kernel));
  vfs.mount('/sys', new SysFs());
  vfs.chrdevs.register(MEM_MAJOR, openMemDevice);
  vfs.chrdevs.register(TTYAUX_MAJOR, (d, flags, t, minor) => {
    if (minor === 0) return openCurrentTty(d, flags, t);
    if (minor === 2) return devpts.openMaster(d, flags, t);
    throw err(E.ENXIO, 'no console device'); // 5,1
  });
  vfs.chrdevs.register(UNIX98_PTY_SLAVE_MAJOR, (d, flags, t, minor) => devpts.openIndex(d, flags, t, minor));
  return vfs;
}
