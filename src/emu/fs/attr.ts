// Attribute changes with their permission rules (fs/attr.c, fs/open.c): chmod, chown, utimens, truncate.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { S_ISGID, S_ISUID, UTIME_NOW, UTIME_OMIT, W_OK, isDir, isReg } from './constants.js';
import type { Dentry } from './dentry.js';
import { checkAccess, checkOwner, inGroup, ownerOrCapable, privsToDrop } from './permission.js';
import { CAP, capable } from '../kernel/capability.js';
import { checkWritable } from './mount.js';
import { nowNs, type SetAttr } from './stat.js';
import { IN } from './notify/fsnotify.js';
import { dentryEvent } from './notify/vfs-events.js';

/** chmod: owner or root; symlinks have no mode of their own (fchmodat AT_SYMLINK_NOFOLLOW). */
export function chmodNode(t: Task, d: Dentry, mode: number): void {
  checkWritable(d.mount);
  if (d.node.isSymlink) throw err(E.EOPNOTSUPP);
  const st = d.node.stat();
  checkOwner(st, t.creds);
  let m = mode & 0o7777;
  // A caller outside the file's group without CAP_FSETID loses setgid (fs/attr.c setattr_should_drop_sgid).
  if (!inGroup(t.creds, st.gid) && !capable(t.creds, CAP.FSETID)) m &= ~S_ISGID;
  d.node.setattr({ mode: m });
  dentryEvent(d, IN.ATTRIB);
}

/**
 * chown: -1 leaves an id unchanged; only CAP_CHOWN gives files away or sets any group; the owner may change
 * the group to one of its own (chown_ok, chgrp_ok). Of a non-directory, setuid always goes, and setgid with
 * group execute (chown_common, notify_change).
 */
export function chownNode(t: Task, d: Dentry, uid: number, gid: number): void {
  checkWritable(d.mount);
  const st = d.node.stat();
  const a: SetAttr = {};
  if (uid !== -1 && uid !== 0xffffffff) a.uid = uid >>> 0;
  if (gid !== -1 && gid !== 0xffffffff) a.gid = gid >>> 0;
  // an id given, even unchanged, is the owner's to give (chown_ok, chgrp_ok)
  if (!capable(t.creds, CAP.CHOWN)) {
    const owner = st.uid === t.creds.fsuid;
    if (a.uid !== undefined && (!owner || a.uid !== st.uid)) throw err(E.EPERM);
    if (a.gid !== undefined && (!owner || (a.gid !== st.gid && !inGroup(t.creds, a.gid)))) throw err(E.EPERM);
  }
  if (!isDir(st.mode)) {
    let m = st.mode & 0o7777 & ~S_ISUID;
    if (m & 0o010) m &= ~S_ISGID;
    if (m !== (st.mode & 0o7777)) a.mode = m;
  }
  d.node.setattr(a);
  dentryEvent(d, IN.ATTRIB);
}

export interface TimeSpec { sec: number; nsec: number; }

/** utimensat: null means both now; UTIME_NOW/UTIME_OMIT per field. Setting explicit times needs ownership. */
export function utimensNode(t: Task, d: Dentry, times: [TimeSpec, TimeSpec] | null): void {
  checkWritable(d.mount);
  const st = d.node.stat();
  const [a, m] = times ?? [{ sec: 0, nsec: UTIME_NOW }, { sec: 0, nsec: UTIME_NOW }];
  for (const ts of [a, m]) {
    if (ts.nsec !== UTIME_NOW && ts.nsec !== UTIME_OMIT && (ts.nsec < 0 || ts.nsec > 999_999_999)) throw err(E.EINVAL);
  }
  if (a.nsec === UTIME_OMIT && m.nsec === UTIME_OMIT) return;
  const onlyNow = (a.nsec === UTIME_NOW || a.nsec === UTIME_OMIT) && (m.nsec === UTIME_NOW || m.nsec === UTIME_OMIT);
  if (!ownerOrCapable(st, t.creds)) {
    if (!onlyNow) throw err(E.EPERM);
    checkAccess(st, t.creds, W_OK);
  }
  const now = nowNs();
  const conv = (ts: TimeSpec): bigint | undefined =>
    ts.nsec === UTIME_OMIT ? undefined : ts.nsec === UTIME_NOW ? now : BigInt(ts.sec) * 1_000_000_000n + BigInt(ts.nsec);
  d.node.setattr({ atimeNs: conv(a), mtimeNs: conv(m), atimeNow: a.nsec === UTIME_NOW, mtimeNow: m.nsec === UTIME_NOW });
  // both times: a utime call (IN_ATTRIB); one alone reads as an access or a modification (fsnotify_change)
  const setA = a.nsec !== UTIME_OMIT, setM = m.nsec !== UTIME_OMIT;
  dentryEvent(d, setA && setM ? IN.ATTRIB : setA ? IN.ACCESS : IN.MODIFY);
}

/** truncate(2) by path: regular files with write permission. */
export function truncateNode(t: Task, d: Dentry, size: number): void {
  checkWritable(d.mount);
  if (size < 0) throw err(E.EINVAL);
  const st = d.node.stat();
  if (isDir(st.mode)) throw err(E.EISDIR);
  if (!isReg(st.mode)) throw err(E.EINVAL);
  checkAccess(st, t.creds, W_OK);
  const kill = privsToDrop(st, t.creds); // do_truncate: dentry_needs_remove_privs
  d.node.setattr(kill ? { size, mode: st.mode & 0o7777 & ~kill } : { size });
  dentryEvent(d, IN.MODIFY);
}
