// mount(2), umount2(2), chroot(2) (fs/namespace.c do_mount, do_umount; fs/open.c chroot): new tmpfs,
// proc, sysfs and mqueue mounts, bind mounts, remounts (MS_RDONLY makes later changes EROFS), unmounts that are
// EBUSY while something is still inside, and a task's root for path walks.
import { CAP, capable } from '../kernel/capability.js';
import { E, err } from '../kernel/errno.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Task } from '../kernel/task.js';
import { X_OK } from './constants.js';
import type { Dentry } from './dentry.js';
import { MNT_FLAGS, MS, type Mount } from './mount.js';
import type { FileSystem } from './node.js';
import { checkAccess } from './permission.js';
import { ProcFs } from './procfs/procfs.js';
import { SysFs } from './sysfs/sysfs.js';
import { TmpFs, parseTmpfsOptions } from './tmpfs/tmpfs.js';
import { mqueueFs } from './mqueue/mqueue-fs.js';

export const MNT = { FORCE: 1, DETACH: 2, EXPIRE: 4, NOFOLLOW: 8 } as const;
const MS_MGC_MSK = 0xffff0000, MS_MGC_VAL = 0xc0ed0000;
const PROPAGATION = MS.SHARED | MS.PRIVATE | MS.SLAVE | MS.UNBINDABLE;

export interface MountRequest { source: string | null; target: Dentry; fstype: string | null; flags: number; data: string }

/** A mount's root is where its mountpoint path ends in that very mount. */
const isMountRoot = (d: Dentry): boolean => d.path === d.mount.path && d.node === d.mount.root;

/** The per-mount flags a request asks for; relatime unless noatime or strictatime (the kernel's default). */
function mntFlags(flags: number): number {
  let f = flags & MNT_FLAGS;
  if (!(flags & (MS.NOATIME | MS.STRICTATIME))) f |= MS.RELATIME;
  return f;
}

export function doMount(t: Task, r: MountRequest): void {
  if (!capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM);
  let flags = r.flags;
  if ((flags & MS_MGC_MSK) >>> 0 === MS_MGC_VAL) flags &= ~MS_MGC_MSK;
  const vfs = t.kernel.vfs;
  const d = r.target;
  if (flags & MS.REMOUNT) return remount(t.kernel, d, flags, r.data);
  if (flags & MS.BIND) return bind(t, r.source, d, flags);
  if (flags & PROPAGATION) {
    if (!isMountRoot(d)) throw err(E.EINVAL);
    if (flags & (MS.SHARED | MS.SLAVE)) throw err(E.EINVAL, 'mount: shared and slave propagation are not supported (every mount is private)');
    return; // MS_PRIVATE / MS_UNBINDABLE: every mount already is private and nothing propagates
  }
  if (flags & MS.MOVE) throw err(E.EINVAL, 'mount: MS_MOVE is not supported');
  if (!r.fstype) throw err(E.EINVAL);
  if (!d.node.isDir) throw err(E.ENOTDIR);
  vfs.mount(d.path, newFs(t.kernel, r.fstype, r.data), { source: r.source ?? 'none', flags: mntFlags(flags), parent: d.mount });
}

function newFs(kernel: Kernel, type: string, data: string): FileSystem {
  switch (type) {
    case 'tmpfs': return new TmpFs(parseTmpfsOptions(data));
    case 'proc': return new ProcFs(kernel);
    case 'sysfs': return new SysFs();
    case 'mqueue': return mqueueFs(kernel);
    default: throw err(E.ENODEV, `mount: filesystem type '${type}' is not available`);
  }
}

/** MS_REMOUNT: MS_BIND changes only the mount's flags; otherwise the filesystem's options too (tmpfs size=...). */
function remount(kernel: Kernel, d: Dentry, flags: number, data: string): void {
  if (!isMountRoot(d)) throw err(E.EINVAL);
  const m = d.mount;
  const toRo = (flags & MS.RDONLY) && !(m.flags & MS.RDONLY);
  if (toRo && !(flags & MS.BIND) && writersOn(kernel, m)) throw err(E.EBUSY);
  if (!(flags & MS.BIND) && m.fs instanceof TmpFs) m.fs.reconfigure(data);
  m.flags = mntFlags(flags);
}

/** Someone has a file on this mount open for writing (sb_prepare_remount_readonly refuses then). */
function writersOn(kernel: Kernel, m: Mount): boolean {
  for (const t of kernel.tasks.values()) {
    for (const [, f] of t.files.entries()) if (f.writable && f.dentry?.mount === m) return true;
  }
  return false;
}

/** MS_BIND: the source directory (or file) shown again at the target; MS_REC brings the mounts below it too. */
function bind(t: Task, source: string | null, d: Dentry, flags: number): void {
  if (!source) throw err(E.EINVAL);
  const vfs = t.kernel.vfs;
  const src = vfs.lookup(t, source);
  if (src.node.isDir !== d.node.isDir) throw err(src.node.isDir ? E.ENOTDIR : E.EISDIR);
  const rel = (x: Dentry): string => {
    const inside = x.path === x.mount.path ? '' : x.path.slice(x.mount.path === '/' ? 0 : x.mount.path.length);
    return x.mount.rootPath === '/' ? inside || '/' : `${x.mount.rootPath}${inside}`;
  };
  const top = vfs.mount(d.path, src.mount.fs, { source: src.mount.source, flags: src.mount.flags, root: src.node, rootPath: rel(src), parent: d.mount });
  if (!(flags & MS.REC)) return;
  const below = vfs.mounts.all().filter((m) => m !== top && m.path.startsWith(src.path === '/' ? '/' : `${src.path}/`) && m.path !== src.path);
  for (const m of below) {
    const at = d.path + m.path.slice(src.path === '/' ? 0 : src.path.length);
    vfs.mount(at, m.fs, { source: m.source, flags: m.flags, root: m.root, rootPath: m.rootPath });
  }
}

const expiring = new WeakSet<Mount>();

/** umount2(2): EINVAL unless the target is a mount's root; EBUSY while files, cwds, roots or mounts are inside. */
export function doUmount(t: Task, d: Dentry, flags: number): void {
  if (!capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM);
  if (flags & ~(MNT.FORCE | MNT.DETACH | MNT.EXPIRE | MNT.NOFOLLOW)) throw err(E.EINVAL);
  if ((flags & MNT.EXPIRE) && (flags & (MNT.FORCE | MNT.DETACH))) throw err(E.EINVAL);
  if (!isMountRoot(d)) throw err(E.EINVAL);
  const m = d.mount;
  const table = t.kernel.vfs.mounts;
  if (m.parent === null) throw err(E.EBUSY);
  if (flags & MNT.DETACH) return detach(t.kernel, m);
  if (table.children(m).length || inUse(t.kernel, m)) throw err(E.EBUSY);
  if (flags & MNT.EXPIRE && !expiring.has(m)) { expiring.add(m); throw err(E.EAGAIN); }
  table.remove(m);
}

/** MNT_DETACH: the mount and everything below leave the tree now; files still open there keep working. */
function detach(kernel: Kernel, m: Mount): void {
  for (const c of kernel.vfs.mounts.children(m)) detach(kernel, c);
  kernel.vfs.mounts.remove(m);
}

function inUse(kernel: Kernel, m: Mount): boolean {
  for (const t of kernel.tasks.values()) {
    if (t.fs.cwd.mount === m || t.fs.root.mount === m) return true;
    for (const [, f] of t.files.entries()) if (f.dentry?.mount === m) return true;
  }
  return false;
}

/** chroot(2): CAP_SYS_CHROOT only; the directory becomes the task's root for absolute paths and "..". */
export function doChroot(t: Task, d: Dentry): void {
  if (!d.node.isDir) throw err(E.ENOTDIR);
  checkAccess(d.node.stat(), t.creds, X_OK);
  if (!capable(t.creds, CAP.SYS_CHROOT)) throw err(E.EPERM);
  t.fs.root = d;
}
