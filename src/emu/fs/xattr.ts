// Extended attributes, the VFS side (fs/xattr.c): name and size limits, the namespaces and who may use
// them (xattr_permission), then the filesystem's own get/list/set/remove.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { R_OK, S_ISVTX, W_OK, isDir, isReg } from './constants.js';
import type { Dentry } from './dentry.js';
import { IN } from './notify/fsnotify.js';
import { dentryEvent } from './notify/vfs-events.js';
import { checkAccess, ownerOrCapable } from './permission.js';
import { CAP, capable } from '../kernel/capability.js';

export const XATTR_NAME_MAX = 255;
export const XATTR_SIZE_MAX = 65536;
export const XATTR_LIST_MAX = 65536;
export const XATTR_CREATE = 1;
export const XATTR_REPLACE = 2;

const PREFIXES = ['user.', 'trusted.', 'security.', 'system.'];

/** ERANGE for an empty or too long name (as strncpy_from_user's checks), EOPNOTSUPP for an unknown namespace. */
function checkName(name: string): void {
  if (name.length === 0 || name.length > XATTR_NAME_MAX) throw err(E.ERANGE);
  if (!PREFIXES.some((p) => name.startsWith(p) && name.length > p.length)) throw err(E.EOPNOTSUPP);
  if (name.startsWith('system.')) throw err(E.EOPNOTSUPP, 'no POSIX ACLs'); // system.posix_acl_*: not kept
}

/**
 * xattr_permission: trusted.* needs CAP_SYS_ADMIN (others read ENODATA, write EPERM); security.* writes need
 * it too (cap_inode_setxattr); user.* lives only on regular files and directories (EPERM to write elsewhere,
 * ENODATA to read), not on sticky directories of others, and follows the file's read/write permission.
 */
function permit(t: Task, d: Dentry, name: string, write: boolean): void {
  const root = capable(t.creds, CAP.SYS_ADMIN);
  if (name.startsWith('trusted.')) {
    if (!root) throw err(write ? E.EPERM : E.ENODATA);
    return;
  }
  if (name.startsWith('security.')) {
    if (write && !root) throw err(E.EPERM);
    return;
  }
  const st = d.node.stat();
  if (!isReg(st.mode) && !isDir(st.mode)) throw err(write ? E.EPERM : E.ENODATA);
  if (write && isDir(st.mode) && (st.mode & S_ISVTX) && !ownerOrCapable(st, t.creds)) throw err(E.EPERM);
  checkAccess(st, t.creds, write ? W_OK : R_OK);
}

/** getxattr: the value, or (size 0) its length; ERANGE when it does not fit in `size`. */
export function getXattr(t: Task, d: Dentry, name: string, size: number): Uint8Array | number {
  checkName(name);
  permit(t, d, name, false);
  const v = d.node.getxattr(name);
  if (size === 0) return v.length;
  if (v.length > size) throw err(E.ERANGE);
  return v;
}

/** listxattr: names NUL-terminated; trusted.* only for CAP_SYS_ADMIN; size 0 asks for the length. */
export function listXattr(t: Task, d: Dentry, size: number): Uint8Array | number {
  const names = d.node.listxattr().filter((n) => capable(t.creds, CAP.SYS_ADMIN) || !n.startsWith('trusted.'));
  const buf = Buffer.from(names.map((n) => `${n}\0`).join(''), 'latin1');
  if (buf.length > XATTR_LIST_MAX) throw err(E.E2BIG);
  if (size === 0) return buf.length;
  if (buf.length > size) throw err(E.ERANGE);
  return buf;
}

/** setxattr: XATTR_CREATE/XATTR_REPLACE; E2BIG past XATTR_SIZE_MAX; the owner or root for user.* on sticky dirs. */
export function setXattr(t: Task, d: Dentry, name: string, value: Uint8Array, flags: number): void {
  if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) throw err(E.EINVAL);
  checkName(name);
  if (value.length > XATTR_SIZE_MAX) throw err(E.E2BIG);
  permit(t, d, name, true);
  d.node.setxattr(name, value, flags);
  dentryEvent(d, IN.ATTRIB); // fsnotify_xattr
}

export function removeXattr(t: Task, d: Dentry, name: string): void {
  checkName(name);
  permit(t, d, name, true);
  d.node.removexattr(name);
  dentryEvent(d, IN.ATTRIB);
}
