// File status: stat, fstat, lstat, newfstatat, statx, statfs, fstatfs, access, faccessat(2), readlink(at).
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { AT, AT_FDCWD } from '../fs/constants.js';
import type { Stat } from '../fs/stat.js';
import { type Mount, statfsFlags } from '../fs/mount.js';
import { mayAccess } from '../fs/permission.js';
import { readlinkAt } from '../fs/namespace.js';
import type { Dentry } from '../fs/dentry.js';
import { STATX, encodeStat, encodeStatfs, encodeStatx } from '../fs/structs.js';
import { sys, type SyscallDef } from './types.js';
import { pathArg, putBytes } from './fs-util.js';

/** The status of (dirfd, path) with AT_* flags; an empty path with AT_EMPTY_PATH is the file at dirfd. */
function statAt(t: Task, dirfd: number, path: string, flags: number): { st: Stat; mnt: number; mountRoot: boolean } {
  const at = (d: Dentry, st = d.node.stat()) => ({ st, mnt: d.mount.id, mountRoot: d.parent === null || d.parent.mount !== d.mount });
  if (path === '' && (flags & AT.EMPTY_PATH)) {
    if (dirfd === AT_FDCWD) return at(t.fs.cwd);
    const f = t.files.get(dirfd);
    return f.dentry ? at(f.dentry, f.stat()) : { st: f.stat(), mnt: 0, mountRoot: false };
  }
  return at(t.kernel.vfs.at(t, dirfd, path, flags));
}

const putStat = (t: Task, buf: number, st: Stat): number => { t.mem.write(buf, encodeStat(st)); return 0; };

function newfstatat(t: Task, dirfd: number, p: number, buf: number, flags: number): number {
  if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH | AT.NO_AUTOMOUNT)) throw err(E.EINVAL);
  const path = p === 0 && (flags & AT.EMPTY_PATH) ? '' : pathArg(t, p); // NULL path: Linux 6.11
  return putStat(t, buf, statAt(t, dirfd, path, flags).st);
}

/** statx(2): every basic field, btime when asked for and the filesystem has it, the mount id, STATX_ATTR_MOUNT_ROOT. */
function statx(t: Task, dirfd: number, p: number, flags: number, mask: number, buf: number): number {
  if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH | AT.NO_AUTOMOUNT | AT.STATX_SYNC_TYPE)) throw err(E.EINVAL);
  if ((flags & AT.STATX_SYNC_TYPE) === AT.STATX_SYNC_TYPE || (mask & STATX.RESERVED)) throw err(E.EINVAL);
  const path = p === 0 && (flags & AT.EMPTY_PATH) ? '' : pathArg(t, p);
  const { st, mnt, mountRoot } = statAt(t, dirfd, path, flags);
  t.mem.write(buf, encodeStatx(st, mnt, mask, mountRoot));
  return 0;
}

/**
 * faccessat2(2): F_OK only checks existence. Without AT_EACCESS the real ids ask (access_override_creds): a
 * real uid other than 0 with no capabilities, real uid 0 with the permitted set.
 */
function faccessat(t: Task, dirfd: number, p: number, mode: number, flags: number): number {
  if (mode & ~7) throw err(E.EINVAL);
  if (flags & ~(AT.EACCESS | AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) throw err(E.EINVAL);
  const { st } = statAt(t, dirfd, pathArg(t, p), flags);
  const c = t.creds;
  const who = flags & AT.EACCESS ? c : { fsuid: c.uid, fsgid: c.gid, groups: c.groups, capEff: c.uid === 0 ? c.capPrm : 0n };
  if (mode !== 0 && !mayAccess(st, who, mode)) throw err(E.EACCES);
  return 0;
}

/** readlinkat(2): the link text, truncated to bufsiz, without a NUL. */
function readlink(t: Task, dirfd: number, p: number, buf: number, size: number): number {
  if ((size | 0) <= 0) throw err(E.EINVAL);
  const text = readlinkAt(t, dirfd, pathArg(t, p)).slice(0, size);
  putBytes(t, buf, text);
  return text.length;
}

/** The filesystem's numbers, f_flags from the mount (ST_RDONLY, ST_NOSUID... as statfs(2) reports them). */
function statfs(t: Task, buf: number, m: Mount): number {
  t.mem.write(buf, encodeStatfs({ ...m.fs.statfs(), flags: statfsFlags(m) }));
  return 0;
}

export const fsStatSyscalls: SyscallDef[] = [
  // stat(2)
  sys(4, 'stat', ['path', 'ptr'], (t, p, buf) => putStat(t, buf, t.kernel.vfs.lookup(t, pathArg(t, p)).node.stat())),
  // fstat(2): works on O_PATH descriptors too
  sys(5, 'fstat', ['fd', 'ptr'], (t, fd, buf) => putStat(t, buf, t.files.get(fd).stat())),
  // lstat(2)
  sys(6, 'lstat', ['path', 'ptr'], (t, p, buf) => putStat(t, buf, t.kernel.vfs.lookup(t, pathArg(t, p), false).node.stat())),
  // newfstatat(2)
  sys(262, 'newfstatat', ['fd', 'path', 'ptr', 'flags'], newfstatat),
  // statx(2)
  sys(332, 'statx', ['fd', 'path', 'flags', 'uint', 'ptr'], statx),
  // statfs(2): the host's numbers for hostfs, the Linux magic of synthetic filesystems
  sys(137, 'statfs', ['path', 'ptr'], (t, p, buf) => statfs(t, buf, t.kernel.vfs.lookup(t, pathArg(t, p)).mount)),
  // fstatfs(2)
  sys(138, 'fstatfs', ['fd', 'ptr'], (t, fd, buf) => statfs(t, buf, t.kernel.vfs.dentryOf(t.files.get(fd)).mount)),
  // access(2)
  sys(21, 'access', ['path', 'int'], (t, p, mode) => faccessat(t, AT_FDCWD, p, mode, 0)),
  // faccessat(2): the syscall has no flags argument
  sys(269, 'faccessat', ['fd', 'path', 'int'], (t, dirfd, p, mode) => faccessat(t, dirfd, p, mode, 0)),
  // faccessat2(2)
  sys(439, 'faccessat2', ['fd', 'path', 'int', 'flags'], faccessat),
  // readlink(2)
  sys(89, 'readlink', ['path', 'ptr', 'int'], (t, p, buf, size) => readlink(t, AT_FDCWD, p, buf, size)),
  // readlinkat(2)
  sys(267, 'readlinkat', ['fd', 'path', 'ptr', 'int'], readlink),
];
