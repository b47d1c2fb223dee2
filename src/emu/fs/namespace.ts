// Calls that add, remove and move names (fs/namei.c): mkdir, mknod, unlink, rmdir, rename, symlink, link, readlink.
import { CAP, capable } from '../kernel/capability.js';
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import {
  AT, RENAME_EXCHANGE, RENAME_NOREPLACE, RENAME_WHITEOUT, R_OK, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT,
  S_IFREG, S_IFSOCK, S_ISGID, S_ISUID, W_OK, isReg,
} from './constants.js';
import type { Dentry } from './dentry.js';
import type { Parent } from './namei.js';
import type { Node } from './node.js';
import { checkDirWrite, tryStep } from './open.js';
import { checkSticky, mayAccess, newOwner, ownerOrCapable } from './permission.js';
import { createEvent, deleteEvent, dirKey, linkEvent, moveEvent, victim } from './notify/vfs-events.js';

const special = (name: string): boolean => name === '.' || name === '..';

/** Resolve the parent of a name to be created: EEXIST when it exists, ENOENT for "name/" (not mkdir). */
function newName(t: Task, dirfd: number, path: string, isDir: boolean): Parent {
  const { walk, p } = t.kernel.vfs.parentAt(t, dirfd, path);
  if (special(p.last) || tryStep(walk, p.dir, p.last)) throw err(E.EEXIST);
  if (p.slash && !isDir) throw err(E.ENOENT);
  checkDirWrite(t, p.dir);
  return p;
}


/** mkdirat(2). */
export function mkdirAt(t: Task, dirfd: number, path: string, mode: number): void {
  const p = newName(t, dirfd, path, true);
  p.dir.node.mkdir(p.last, newOwner(t.creds, p.dir, S_IFDIR | (mode & ~t.fs.umask & 0o1777)));
  createEvent(p.dir, p.last, true);
}

/** mknodat(2): regular files here; FIFOs, sockets and devices as the filesystem allows. Returns the new node. */
export function mknodAt(t: Task, dirfd: number, path: string, mode: number, dev: number): Node {
  const type = (mode & S_IFMT) || S_IFREG;
  if (type === S_IFDIR) throw err(E.EPERM);
  if (![S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK].includes(type)) throw err(E.EINVAL);
  const p = newName(t, dirfd, path, false);
  // vfs_mknod: CAP_MKNOD for devices, checked after the directory's permission (may_create)
  if ((type === S_IFCHR || type === S_IFBLK) && !capable(t.creds, CAP.MKNOD)) throw err(E.EPERM);
  const n = newOwner(t.creds, p.dir, type | (mode & ~t.fs.umask & 0o7777));
  const node = type === S_IFREG ? p.dir.node.create(p.last, n) : p.dir.node.mknod(p.last, n, dev);
  createEvent(p.dir, p.last, false);
  return node;
}

/** symlinkat(2). */
export function symlinkAt(t: Task, target: string, dirfd: number, path: string): void {
  if (target.length === 0) throw err(E.ENOENT);
  const p = newName(t, dirfd, path, false);
  p.dir.node.symlink(p.last, target, newOwner(t.creds, p.dir, S_IFLNK | 0o777));
  createEvent(p.dir, p.last, false);
}

/**
 * linkat(2): AT_SYMLINK_FOLLOW follows a final symlink of the source, AT_EMPTY_PATH links the file at olddirfd
 * (CAP_DAC_READ_SEARCH only: ENOENT for others, as Linux answers).
 */
export function linkAt(t: Task, olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags: number): void {
  if (flags & ~(AT.SYMLINK_FOLLOW | AT.EMPTY_PATH)) throw err(E.EINVAL);
  if ((flags & AT.EMPTY_PATH) && oldpath === '' && !capable(t.creds, CAP.DAC_READ_SEARCH)) throw err(E.ENOENT);
  const src = t.kernel.vfs.at(t, olddirfd, oldpath, flags & AT.EMPTY_PATH, (flags & AT.SYMLINK_FOLLOW) !== 0);
  if (src.node.isDir) throw err(E.EPERM);
  const { walk, p: q } = t.kernel.vfs.parentAt(t, newdirfd, newpath);
  if (!tryStep(walk, q.dir, q.last)) checkSafeLink(t, src); // may_linkat runs once the new name is free
  const p = newName(t, newdirfd, newpath, false);
  if (p.dir.mount !== src.mount) throw err(E.EXDEV);
  p.dir.node.link(p.last, src.node);
  linkEvent(src, p.dir, p.last);
}

/**
 * fs.protected_hardlinks (on in Debian; may_linkat): a caller that does not own the file (nor holds CAP_FOWNER) may link it only if it
 * is a regular file it may read and write, neither setuid nor setgid-executable; EPERM otherwise.
 */
function checkSafeLink(t: Task, src: Dentry): void {
  const st = src.node.stat();
  if (ownerOrCapable(st, t.creds)) return;
  const risky = !isReg(st.mode) || (st.mode & S_ISUID) !== 0 || (st.mode & (S_ISGID | 0o010)) === (S_ISGID | 0o010);
  if (risky || !mayAccess(st, t.creds, R_OK | W_OK)) throw err(E.EPERM);
}

const isMountRoot = (t: Task, d: Dentry): boolean => d.parent !== null && d.parent.mount !== d.mount;

/** unlinkat(2) without AT_REMOVEDIR. */
export function unlinkAt(t: Task, dirfd: number, path: string): void {
  const { walk, p } = t.kernel.vfs.parentAt(t, dirfd, path);
  if (special(p.last)) throw err(E.EISDIR);
  const d = walk.step(p.dir, p.last, false);
  if (d.node.isDir) throw err(isMountRoot(t, d) ? E.EBUSY : E.EISDIR);
  if (p.slash) throw err(E.ENOTDIR);
  checkDirWrite(t, p.dir);
  checkSticky(t.creds, p.dir, d);
  const v = victim(d), dk = dirKey(p.dir);
  p.dir.node.unlink(p.last);
  deleteEvent(t.kernel, dk, p.last, v);
}

/** rmdir(2) and unlinkat(AT_REMOVEDIR). */
export function rmdirAt(t: Task, dirfd: number, path: string): void {
  const { walk, p } = t.kernel.vfs.parentAt(t, dirfd, path);
  if (p.last === '.') throw err(E.EINVAL);
  if (p.last === '..') throw err(E.ENOTEMPTY);
  const d = walk.step(p.dir, p.last, false);
  if (!d.node.isDir) throw err(E.ENOTDIR);
  if (isMountRoot(t, d) || d.path === t.fs.root.path) throw err(E.EBUSY);
  checkDirWrite(t, p.dir);
  checkSticky(t.creds, p.dir, d);
  const v = victim(d), dk = dirKey(p.dir);
  p.dir.node.rmdir(p.last);
  deleteEvent(t.kernel, dk, p.last, v);
}

/** renameat2(2): RENAME_NOREPLACE and RENAME_EXCHANGE are passed to the filesystem, which may refuse (EINVAL). */
export function renameAt(t: Task, olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags: number): void {
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) throw err(E.EINVAL);
  if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE)) throw err(E.EINVAL);
  if (flags & RENAME_WHITEOUT) throw err(E.EINVAL, 'RENAME_WHITEOUT');
  const vfs = t.kernel.vfs;
  const o = vfs.parentAt(t, olddirfd, oldpath);
  const n = vfs.parentAt(t, newdirfd, newpath);
  if (special(o.p.last) || special(n.p.last)) throw err(E.EBUSY);
  const src = o.walk.step(o.p.dir, o.p.last, false);
  const dst = tryStep(n.walk, n.p.dir, n.p.last);
  if ((o.p.slash || n.p.slash) && !src.node.isDir) throw err(E.ENOTDIR);
  if (o.p.dir.mount !== n.p.dir.mount) throw err(E.EXDEV);
  if (isMountRoot(t, src) || (dst && isMountRoot(t, dst))) throw err(E.EBUSY);
  if ((flags & RENAME_NOREPLACE) && dst) throw err(E.EEXIST);
  if ((flags & RENAME_EXCHANGE) && !dst) throw err(E.ENOENT);
  if (src.path === dst?.path) return;
  if (dst && !(flags & RENAME_EXCHANGE)) {
    if (src.node.isDir && !dst.node.isDir) throw err(E.ENOTDIR);
    if (!src.node.isDir && dst.node.isDir) throw err(E.EISDIR);
  }
  const inside = (dir: string, d: Dentry): boolean => d.node.isDir && (dir === d.path || dir.startsWith(`${d.path}/`));
  // do_renameat2: the source may not be an ancestor of the target, nor (exchanging) the target of the source
  if (inside(n.p.dir.path, src) || ((flags & RENAME_EXCHANGE) && dst && inside(o.p.dir.path, dst))) throw err(E.EINVAL);
  checkDirWrite(t, o.p.dir);
  checkDirWrite(t, n.p.dir);
  checkSticky(t.creds, o.p.dir, src);
  if (dst) checkSticky(t.creds, n.p.dir, dst);
  const from = dirKey(o.p.dir), to = dirKey(n.p.dir), sv = victim(src), dv = victim(dst);
  o.p.dir.node.rename(o.p.last, n.p.dir.node, n.p.last, flags);
  if (from === null || to === null || !sv) return;
  const exchange = (flags & RENAME_EXCHANGE) !== 0;
  moveEvent(t.kernel, { key: from, name: o.p.last }, { key: to, name: n.p.last }, sv, exchange ? null : dv);
  if (exchange && dv) moveEvent(t.kernel, { key: to, name: n.p.last }, { key: from, name: o.p.last }, dv, null);
}

/** readlinkat(2): the link text (an empty path reads the symlink open at dirfd with O_PATH|O_NOFOLLOW). */
export function readlinkAt(t: Task, dirfd: number, path: string): string {
  const d = t.kernel.vfs.at(t, dirfd, path, path.length === 0 ? AT.EMPTY_PATH : 0, false);
  if (!d.node.isSymlink) throw err(path.length === 0 ? E.ENOENT : E.EINVAL); // do_readlinkat: empty ? ENOENT : EINVAL
  return d.node.readlink(t);
}
