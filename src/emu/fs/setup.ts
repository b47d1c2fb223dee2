// Build the VFS of a kernel: the root filesystem (hostfs over a host directory, or the VolFs store of an
// installed distro) at /, devfs at /dev, devpts at /dev/pts, procfs at /proc, sysfs at /sys, mqueue at
// /dev/mqueue (as systemd mounts it), tmpfs at /dev/shm, /run and /run/lock with Debian's options (/tmp stays on the root filesystem), host directories
// the instance asks for (/mnt/host), and the
// character devices that device nodes of the root filesystem open. The mounts hide the host's own /dev,
// /proc and /sys even when the root is the host's "/".
import { E, err } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import { DevFs } from './devfs/devfs.js';
import { openMemDevice } from './devfs/devices.js';
import { DevPtsFs, TTYAUX_MAJOR, UNIX98_PTY_SLAVE_MAJOR } from './tty/devpts.js';
import { mqueueFs } from './mqueue/mqueue-fs.js';
import { openCurrentTty } from './tty/devtty.js';
import { HostFs } from './hostfs/hostfs.js';
import { DrvFs, type MetadataStore } from './drvfs/drvfs.js';
import { noDrvFsOptions, type DrvFsOptions } from './drvfs/options.js';
import type { FileSystem } from './node.js';
import { ProcFs } from './procfs/procfs.js';
import { SysFs } from './sysfs/sysfs.js';
import { Vfs } from './vfs.js';
import { VolFs } from './volfs/volfs.js';
import { MS } from './mount.js';
import { TmpFs, parseTmpfsOptions } from './tmpfs/tmpfs.js';

export interface VfsOptions {
  /** Host directory: served as the root (hostfs), or, with rootType 'volfs', the distro directory of a VolFs store. */
  root: string;
  /** 'hostfs' (default) or 'volfs'. */
  rootType?: RootType;
  /** Host directories mounted inside (DrvFs's first step: the host's "/" at /mnt/host on POSIX hosts). */
  hostMounts?: HostMount[];
}
export interface HostMount {
  path: string;
  hostDir: string;
  /** DrvFs mount options (drvfs/options.ts); none: the host's own modes and owners. */
  options?: DrvFsOptions;
  /** Where the `metadata` option keeps Linux modes and owners (the instance's store). */
  metadata?: MetadataStore;
}
export type RootType = 'hostfs' | 'volfs';

const MEM_MAJOR = 1;

/** A host directory mounted inside (DrvFs), nosuid and nodev as WSL mounts its drives (a host file never
 *  becomes setuid root here). Also used after boot, once the distro's config says where. */
export function mountHost(vfs: Vfs, m: HostMount): void {
  const o = m.options ?? noDrvFsOptions();
  if (o.metadata && !m.metadata) throw new Error('drvfs: the metadata option needs a metadata store');
  const fs = new DrvFs(m.hostDir, o, o.metadata ? m.metadata! : null);
  vfs.mount(m.path, fs, { source: m.hostDir, flags: MS.NOSUID | MS.NODEV | MS.RELATIME });
}

export function createVfs(kernel: Kernel, opts: VfsOptions): Vfs {
  const rootFs: FileSystem = opts.rootType === 'volfs' ? new VolFs(opts.root) : new HostFs(opts.root);
  const vfs = new Vfs(rootFs);
  const devpts = new DevPtsFs(kernel);
  const { NOSUID, NODEV, NOEXEC, RELATIME } = MS;
  vfs.mount('/dev', new DevFs(devpts), { source: 'udev', flags: NOSUID | RELATIME });
  vfs.mount('/dev/pts', devpts, { source: 'devpts', flags: NOSUID | NOEXEC | RELATIME });
  vfs.mount('/dev/shm', new TmpFs(parseTmpfsOptions('')), { source: 'tmpfs', flags: NOSUID | NODEV });
  vfs.mount('/dev/mqueue', mqueueFs(kernel), { source: 'mqueue', flags: NOSUID | NODEV | NOEXEC | RELATIME });
  vfs.mount('/proc', new ProcFs(kernel), { source: 'proc', flags: NOSUID | NODEV | NOEXEC | RELATIME });
  vfs.mount('/sys', new SysFs(), { source: 'sysfs', flags: NOSUID | NODEV | NOEXEC | RELATIME });
  vfs.mount('/run', new TmpFs(parseTmpfsOptions('size=10%,mode=755')), { source: 'tmpfs', flags: NOSUID | NODEV | NOEXEC | RELATIME });
  vfs.mount('/run/lock', new TmpFs(parseTmpfsOptions('size=5120k')), { source: 'tmpfs', flags: NOSUID | NODEV | NOEXEC | RELATIME });
  for (const m of opts.hostMounts ?? []) mountHost(vfs, m);
  vfs.chrdevs.register(MEM_MAJOR, openMemDevice);
  vfs.chrdevs.register(TTYAUX_MAJOR, (d, flags, t, minor) => {
    // 5,1 /dev/console: the instance has no system console, the caller's terminal stands in (as /dev/tty)
    if (minor === 0 || minor === 1) return openCurrentTty(d, flags, t);
    if (minor === 2) return devpts.openMaster(d, flags, t);
    throw err(E.ENXIO);
  });
  vfs.chrdevs.register(UNIX98_PTY_SLAVE_MAJOR, (d, flags, t, minor) => devpts.openIndex(d, flags, t, minor));
  return vfs;
}
