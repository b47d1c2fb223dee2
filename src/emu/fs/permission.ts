// Permission checks (fs/namei.c generic_permission): owner/group/other bits, root bypass except execute.
import { E, err } from '../kernel/errno.js';
import type { Credentials } from '../kernel/task.js';
import { isDir } from './constants.js';
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
