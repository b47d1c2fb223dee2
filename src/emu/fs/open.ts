// open(2)/openat(2) (fs/namei.c do_filp_open, fs/open.c): O_CREAT/O_EXCL, O_NOFOLLOW, O_DIRECTORY, O_PATH, O_TRUNC.
import { E, err, LinuxError } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { O, S_IFBLK, S_IFCHR, S_IFMT, S_IFREG, R_OK, W_OK, X_OK } from './constants.js';
import { MS, checkWritable } from './mount.js';
import { Dentry } from './dentry.js';
import { DirFile, PathFile } from './dir-file.js';
import type { OpenFile } from './file.js';
import { type Parent, type PathWalk, RESOLVE } from './namei.js';
import { checkAccess, newOwner, ownerOrCapable } from './permission.js';
import { IN } from './notify/fsnotify.js';
import { createEvent, fileEvent } from './notify/vfs-events.js';

/**
 * Open (dirfd, path) with open(2) flags; `mode` is used when O_CREAT makes the file; `resolve` restricts
 * the walk with openat2's RESOLVE_* flags (namei.ts).
 */
export function openAt(t: Task, dirfd: number, path: string, flags: number, mode: number, resolve = 0): OpenFile {
  const vfs = t.kernel.vfs;
  if (flags & O.TMPFILE) return openTmpfile(t, dirfd, path, flags, mode, resolve);
  if (flags & O.PATH) flags &= O.PATH | O.DIRECTORY | O.NOFOLLOW | O.CLOEXEC;
  // build_open_flags (Linux 6.4+): O_CREAT|O_DIRECTORY is EINVAL rather than creating a regular file
  if ((flags & (O.CREAT | O.DIRECTORY)) === (O.CREAT | O.DIRECTORY)) throw err(E.EINVAL);
  let d: Dentry;
  let created = false;
  if (flags & O.CREAT) {
    const { walk, p } = vfs.parentAt(t, dirfd, path, resolve);
    [d, created] = findOrCreate(t, walk, p, flags, mode);
  } else {
    d = vfs.walker(t, dirfd, resolve).resolve(vfs.startDir(t, dirfd, path), path, !(flags & O.NOFOLLOW));
  }
  const node = d.node;
  if ((flags & O.DIRECTORY) && !node.isDir) throw err(E.ENOTDIR);
  if (flags & O.PATH) return new PathFile(flags, d);
  if (node.isSymlink) throw err(E.ELOOP);
  const acc = flags & O.ACCMODE;
  // may_open: a directory opened for writing, with O_CREAT or with O_TRUNC (which asks for MAY_WRITE)
  if (node.isDir && (acc !== O.RDONLY || (flags & (O.CREAT | O.TRUNC)))) throw err(E.EISDIR);
  if (acc !== O.RDONLY || (flags & O.TRUNC)) checkWritable(d.mount);
  const type = node.type & S_IFMT;
  if ((type === S_IFCHR || type === S_IFBLK) && (d.mount.flags & MS.NODEV)) throw err(E.EACCES);
  if (!created) {
    const mask = (acc === O.WRONLY ? 0 : R_OK) | (acc === O.RDONLY ? 0 : W_OK) | (flags & O.TRUNC ? W_OK : 0);
    checkAccess(node.stat(), t.creds, mask);
  }
  // may_open: O_NOATIME only for the file's owner (or CAP_FOWNER)
  if ((flags & O.NOATIME) && !ownerOrCapable(node.stat(), t.creds)) throw err(E.EPERM);
  const f = node.isDir ? new DirFile(flags, d, vfs.mounts) : node.open(d, flags, t);
  fileEvent(f, IN.OPEN);
  // an existing file truncated by O_TRUNC reports the size change after the open (do_open → handle_truncate)
  if ((flags & O.TRUNC) && !created && f.writable && !node.isDir) fileEvent(f, IN.MODIFY);
  return f;
}

const VALID_OPEN_FLAGS = BigInt(Object.values(O).reduce((a: number, b: number) => a | b, 0));
const O_PATH_FLAGS = BigInt(O.DIRECTORY | O.NOFOLLOW | O.PATH | O.CLOEXEC);
const VALID_RESOLVE = 0x3fn;

/**
 * openat2(2)'s struct open_how, checked as build_open_flags does (every unknown bit is EINVAL, unlike
 * open(2)): a mode only with O_CREAT/O_TMPFILE, BENEATH and IN_ROOT exclusive, O_PATH's few companions,
 * no O_CREAT|O_DIRECTORY, and RESOLVE_CACHED refusing (EAGAIN) opens that would create or truncate. Lookups
 * never wait for I/O here, so RESOLVE_CACHED otherwise always succeeds.
 */
export function checkOpenHow(flags: bigint, mode: bigint, resolve: bigint): void {
  const f = flags & ~BigInt(O.CLOEXEC);
  const creates = (f & BigInt(O.CREAT)) !== 0n || (f & BigInt(O.TMPFILE)) !== 0n;
  if (f & ~VALID_OPEN_FLAGS || resolve & ~VALID_RESOLVE) throw err(E.EINVAL);
  if ((resolve & BigInt(RESOLVE.BENEATH)) && (resolve & BigInt(RESOLVE.IN_ROOT))) throw err(E.EINVAL);
  if (creates ? mode & ~0o7777n : mode !== 0n) throw err(E.EINVAL);
  if ((f & BigInt(O.DIRECTORY)) && (f & BigInt(O.CREAT))) throw err(E.EINVAL);
  if ((f & BigInt(O.TMPFILE)) && (!(f & BigInt(O.DIRECTORY)) || (f & BigInt(O.ACCMODE)) === BigInt(O.RDONLY))) throw err(E.EINVAL);
  if ((f & BigInt(O.PATH)) && (f & ~O_PATH_FLAGS)) throw err(E.EINVAL);
  if ((resolve & BigInt(RESOLVE.CACHED)) && (f & BigInt(O.TRUNC | O.CREAT | O.TMPFILE))) throw err(E.EAGAIN);
}

/** The O_CREAT walk of the last component: follow symlinks (creating a dangling link's target) or create. */
function findOrCreate(t: Task, walk: PathWalk, p: Parent, flags: number, mode: number): [Dentry, boolean] {
  for (;;) {
    if (p.slash) throw err(E.EISDIR); // open_last_lookups: O_CREAT with a trailing slash, whatever is there
    if (p.last === '.' || p.last === '..') {
      try { return [walk.last(p, true), false]; } catch (e) {
        throw e instanceof LinuxError && e.errno === E.ENOENT ? err(E.EISDIR) : e;
      }
    }
    const child = tryStep(walk, p.dir, p.last);
    if (!child) return [create(t, p.dir, p.last, mode), true];
    if (flags & O.EXCL) throw err(E.EEXIST);
    if (!child.node.isSymlink) return [child, false];
    if (flags & O.NOFOLLOW) throw err(E.ELOOP);
    const next = walk.followToParent(p.dir, child);
    if (next instanceof Dentry) return [next, false];
    p = next;
  }
}

/** The child, or null when it does not exist. */
export function tryStep(walk: PathWalk, dir: Dentry, name: string): Dentry | null {
  try { return walk.step(dir, name, false); } catch (e) {
    if (e instanceof LinuxError && e.errno === E.ENOENT) return null;
    throw e;
  }
}

/** Check the caller may add or remove names in dir (write and search permission; a removed one: ENOENT, may_create). */
export function checkDirWrite(t: Task, dir: Dentry): void {
  if (dir.node.removed) throw err(E.ENOENT);
  checkWritable(dir.mount);
  checkAccess(dir.node.stat(), t.creds, W_OK | X_OK);
}

function create(t: Task, dir: Dentry, name: string, mode: number): Dentry {
  checkDirWrite(t, dir);
  const n = newOwner(t.creds, dir, S_IFREG | (mode & ~t.fs.umask & 0o7777));
  const node = dir.node.create(name, n);
  createEvent(dir, name, false);
  return new Dentry(node, dir.mount, dir, name, dir.childPath(name));
}

/**
 * O_TMPFILE (open(2)): an unnamed regular file in the directory `path`, for writing; linkat(2) may name it
 * later unless O_EXCL was given. Its location reads as "dir/#ino (deleted)", as in /proc/<pid>/fd.
 */
function openTmpfile(t: Task, dirfd: number, path: string, flags: number, mode: number, resolve: number): OpenFile {
  if (!(flags & O.DIRECTORY) || (flags & O.CREAT) || (flags & O.ACCMODE) === O.RDONLY) throw err(E.EINVAL);
  const vfs = t.kernel.vfs;
  const dir = vfs.walker(t, dirfd, resolve).resolve(vfs.startDir(t, dirfd, path), path, true);
  if (!dir.node.isDir) throw err(E.ENOTDIR);
  checkDirWrite(t, dir);
  const node = dir.node.tmpfile(newOwner(t.creds, dir, S_IFREG | (mode & ~t.fs.umask & 0o7777)), !(flags & O.EXCL));
  const name = `#${node.stat().ino}`;
  const d = new Dentry(node, dir.mount, dir, name, dir.childPath(name));
  return node.open(d, flags & ~(O.TMPFILE | O.DIRECTORY | O.EXCL), t);
}
