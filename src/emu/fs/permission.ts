// Permission checks (fs/namei.c generic_permission): owner/group/other bits, root bypass except execute.
import { E, err } from '../kernel/errno.js';
import type { Credentials } from '../kernel/task.js';
import { S_ISGID, S_ISUID, S_ISVTX, isDir, isReg } from './constants.js';
import type { Dentry } from './dentry.js';
import type { NewNode } from './node.js';
import type { Stat } from './stat.js';

/** Whether ids (fsuid/fsgid, or the real ids for access(2)) may access the file with mask (R_OK|W_OK|X_OK). */
export function mayAccess(st: Stat, uid: number, gid: number, groups: number[], mask: number): boolean {
  if (uid === 0) {
    // Root may do anything except execute a non-directory with no execute bit at all.
    return (mask & 1) === 0 || isDir(st.mode) || (st.mode & 0o111) !== 0;
  }
  let bits = st.mode & 0o7;
  if (st.uid === uid) bits = (st.mode >> 6) & 0o7;
  else if (st.gid === gid || groups.includes(st.gid)) bits = (st.mode >> 3) & 0o7;
  return (bits & mask) === mask;
}

/** Check with the filesystem ids; EACCES when denied. */
export function checkAccess(st: Stat, c: Credentials, mask: number): void {
  if (mask && !mayAccess(st, c.fsuid, c.fsgid, c.groups, mask)) throw err(E.EACCES);
}

/** Owner-or-root check of chmod/utimes (inode_owner_or_capable); EPERM otherwise. */
export function checkOwner(st: Stat, c: Credentials): void {
  if (c.fsuid !== 0 && c.fsuid !== st.uid) throw err(E.EPERM);
}

const inGroup = (c: Credentials, gid: number): boolean => c.fsgid === gid || c.groups.includes(gid);

/**
 * The setuid/setgid bits a write or truncate by c removes (file_remove_privs, setattr_should_drop_suidgid):
 * none for root (CAP_FSETID); a regular file's setuid; setgid when the group may execute or c is outside it.
 */
export function privsToDrop(st: Stat, c: Credentials): number {
  if (c.fsuid === 0 || !isReg(st.mode)) return 0;
  let kill = st.mode & S_ISUID;
  if ((st.mode & S_ISGID) && ((st.mode & 0o010) || !inGroup(c, st.gid))) kill |= S_ISGID;
  return kill;
}

/**
 * Owner of a new node in `dir` (inode_init_owner, mode_strip_sgid): the caller's fsuid and fsgid, but the
 * directory's group when it is setgid (and a new subdirectory is setgid too); a setgid, group-executable
 * file made there by a non-root caller outside that group loses setgid.
 */
export function newOwner(c: Credentials, dir: Dentry, mode: number): NewNode {
  const ds = dir.node.stat();
  if (!(ds.mode & S_ISGID)) return { mode, uid: c.fsuid, gid: c.fsgid };
  if (isDir(mode)) mode |= S_ISGID;
  else if ((mode & (S_ISGID | 0o010)) === (S_ISGID | 0o010) && c.fsuid !== 0 && !inGroup(c, ds.gid)) mode &= ~S_ISGID;
  return { mode, uid: c.fsuid, gid: ds.gid };
}

/** Removing or replacing `victim` in a sticky directory (check_sticky): its owner, the directory's, or root; EPERM. */
export function checkSticky(c: Credentials, dir: Dentry, victim: Dentry): void {
  if (c.fsuid === 0) return;
  const ds = dir.node.stat();
  if (!(ds.mode & S_ISVTX) || ds.uid === c.fsuid) return;
  if (victim.node.stat().uid !== c.fsuid) throw err(E.EPERM);
}
