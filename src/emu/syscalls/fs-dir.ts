// Directories: getdents64, getdents, getcwd, chdir, fchdir, mkdir, mkdirat, rmdir.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { AT_FDCWD, PATH_MAX, X_OK } from '../fs/constants.js';
import type { Dentry } from '../fs/dentry.js';
import { DirFile } from '../fs/dir-file.js';
import { mkdirAt, rmdirAt } from '../fs/namespace.js';
import { checkAccess } from '../fs/permission.js';
import { packDirents } from '../fs/structs.js';
import { sys, type SyscallDef } from './types.js';
import { pathArg, realFile } from './fs-util.js';
import { IN } from '../fs/notify/fsnotify.js';
import { fileEvent } from '../fs/notify/vfs-events.js';

/** getdents64(2)/getdents(2): as many entries as fit; EINVAL when not even one does. */
function getdents(t: Task, fd: number, buf: number, count: number, old: boolean): number {
  const f = realFile(t, fd);
  if (!(f instanceof DirFile)) throw err(E.ENOTDIR);
  const { list: entries, fresh } = f.entries(t);
  const { bytes, next } = packDirents(entries, f.pos, count, old, fresh ? undefined : (e) => f.exists(t, e));
  fileEvent(f, IN.ACCESS); // every pass over a directory reads as an access, even one that fits nothing (iterate_dir)
  if (bytes.length === 0 && next < entries.length) throw err(E.EINVAL);
  if (bytes.length > 0) t.mem.write(buf, bytes);
  f.pos = next;
  return bytes.length;
}

/**
 * getcwd(2): the path with its NUL; ERANGE when it does not fit, ENOENT once the directory was removed,
 * ENAMETOOLONG past PATH_MAX (the kernel builds it in one PATH_MAX page; a deeper cwd is still usable).
 */
function getcwd(t: Task, buf: number, size: number): number {
  if (t.fs.cwd.node.removed) throw err(E.ENOENT);
  const path = `${t.kernel.vfs.cwdPath(t)}\0`;
  if (path.length > PATH_MAX) throw err(E.ENAMETOOLONG);
  if (path.length > size) throw err(E.ERANGE);
  t.mem.write(buf, Buffer.from(path, 'latin1'));
  return path.length;
}

/** chdir(2)/fchdir(2): a directory the caller may search. */
function enter(t: Task, d: Dentry): number {
  if (!d.node.isDir) throw err(E.ENOTDIR);
  checkAccess(d.node.stat(), t.creds, X_OK);
  t.fs.cwd = d;
  return 0;
}

export const fsDirSyscalls: SyscallDef[] = [
  // getdents64(2)
  sys(217, 'getdents64', ['fd', 'ptr', 'uint'], (t, fd, buf, count) => getdents(t, fd, buf, count, false)),
  // getdents(2): the old linux_dirent, d_type in the record's last byte
  sys(78, 'getdents', ['fd', 'ptr', 'uint'], (t, fd, buf, count) => getdents(t, fd, buf, count, true)),
  // getcwd(2)
  sys(79, 'getcwd', ['ptr', 'size'], getcwd),
  // chdir(2)
  sys(80, 'chdir', ['path'], (t, p) => enter(t, t.kernel.vfs.lookup(t, pathArg(t, p)))),
  // fchdir(2): O_PATH descriptors allowed
  sys(81, 'fchdir', ['fd'], (t, fd) => enter(t, t.kernel.vfs.dentryOf(t.files.get(fd)))),
  // mkdir(2)
  sys(83, 'mkdir', ['path', 'mode'], (t, p, mode) => { mkdirAt(t, AT_FDCWD, pathArg(t, p), mode); return 0; }),
  // mkdirat(2)
  sys(258, 'mkdirat', ['fd', 'path', 'mode'], (t, dirfd, p, mode) => { mkdirAt(t, dirfd, pathArg(t, p), mode); return 0; }),
  // rmdir(2)
  sys(84, 'rmdir', ['path'], (t, p) => { rmdirAt(t, AT_FDCWD, pathArg(t, p)); return 0; }),
];
