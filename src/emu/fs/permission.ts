// Permission checks (fs/namei.c generic_permission): owner/group/other bits, then the capabilities that
// override them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID).
import { E, err } from '../kernel/errno.js';
import type { Credentials } from '../kernel/task.js';
import { CAP, hasCap } from '../kernel/capability.js';
import { S_ISGID, S_ISUID, S_ISVTX, isDir, isReg } from './constants.js';
import type { Dentry } from './dentry.js';
import type { NewNode } from './node.js';
import type { Stat } from './stat.js';

/** Who asks: the filesystem ids and effective capabilities (access(2) passes the real ids instead). */
export type Who = Pick<Credentials, 'fsuid' | 'fsgid' | 'groups' | 'capEff'>;

/**
 * Whether `who` may access the file with mask (R_OK|W_OK|X_OK): the owner's, group's or others' bits, else
 * CAP_DAC_READ_SEARCH (reading, searching a directory) or CAP_DAC_OVERRIDE (anything but executing a
 * non-directory with no execute bit at all).
 */
export function mayAccess(st: Stat, who: Who, mask: number): boolean {
  let bits = st.mode & 0o7;
  if (st.uid === who.fsuid) bits = (st.mode >> 6) & 0o7;
  else if (st.gid === who.fsgid || who.groups.includes(st.gid)) bits = (st.mode >> 3) & 0o7;
  if ((bits & mask) === mask) return true;
  const cap = (n: number) => hasCap(who.capEff, n);
  if (isDir(st.mode)) return ((mask & 2) === 0 && cap(CAP.DAC_READ_SEARCH)) || cap(CAP.DAC_OVERRIDE);
  if (mask === 4 && cap(CAP.DAC_READ_SEARCH)) return true;
  return ((mask & 1) === 0 || (st.mode & 0o111) !== 0) && cap(CAP.DAC_OVERRIDE);
}

/** Check with the filesystem ids; EACCES when denied. */
export function checkAccess(st: Stat, c: Credentials, mask: number): void {
  if (mask && !mayAccess(st, c, mask)) throw err(E.EACCES);
}

/** inode_owner_or_capable: the file's owner, or CAP_FOWNER. */
export const ownerOrCapable = (st: Stat, c: Credentials): boolean => c.fsuid === st.uid || hasCap(c.capEff, CAP.FOWNER);

/** Owner check of chmod/utimes (inode_owner_or_capable); EPERM otherwise. */
export function checkOwner(st: Stat, c: Credentials): void {
  if (!ownerOrCapable(st, c)) throw err(E.EPERM);
}

export const inGroup = (c: Credentials, gid: number): boolean => c.fsgid === gid || c.groups.includes(gid);
const fsetid = (c: Credentials): boolean => hasCap(c.capEff, CAP.FSETID);

/**
 * The setuid/setgid bits a write or truncate by c removes (file_remove_privs, setattr_should_drop_suidgid):
 * none with CAP_FSETID; a regular file's setuid; setgid when the group may execute or c is outside it.
 */
export function privsToDrop(st: Stat, c: Credentials): number {
  if (fsetid(c) || !isReg(st.mode)) return 0;
  let kill = st.mode & S_ISUID;
  if ((st.mode & S_ISGID) && ((st.mode & 0o010) || !inGroup(c, st.gid))) kill |= S_ISGID;
  return kill;
}

/**
 * Owner of a new node in `dir` (inode_init_owner, mode_strip_sgid): the caller's fsuid and fsgid, but the
 * directory's group when it is setgid (and a new subdirectory is setgid too); a setgid, group-executable
 * file made there by a caller outside that group and without CAP_FSETID loses setgid.
 */
export function newOwner(c: Credentials, dir: Dentry, mode: number): NewNode {
  const ds = dir.node.stat();
  if (!(ds.mode & S_ISGID)) return { mode, uid: c.fsuid, gid: c.fsgid };
  if (isDir(mode)) mode |= S_ISGID;
  else if ((mode & (S_ISGID | 0o010)) === (S_ISGID | 0o010) && !fsetid(c) && !inGroup(c, ds.gid)) mode &= ~S_ISGID;
  return { mode, uid: c.fsuid, gid: ds.gid };
}

/** Removing or replacing `victim` in a sticky directory (check_sticky): its owner, the directory's, or CAP_FOWNER; EPERM. */
export function checkSticky(c: Credentials, dir: Dentry, victim: Dentry): void {
  const ds = dir.node.stat();
  if (!(ds.mode & S_ISVTX) || ds.uid === c.fsuid) return;
  if (!ownerOrCapable(victim.node.stat(), c)) throw err(E.EPERM);
}
