// Extended attributes: setxattr, lsetxattr, fsetxattr, getxattr, lgetxattr, fgetxattr, listxattr,
// llistxattr, flistxattr, removexattr, lremovexattr, fremovexattr (fs/xattr.c). Filesystems without
// xattrs (hostfs, procfs) answer get/remove ENODATA, list empty, set EOPNOTSUPP; VolFs keeps them.
import { E, LinuxError, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { AT_FDCWD } from '../fs/constants.js';
import type { Dentry } from '../fs/dentry.js';
import { XATTR_NAME_MAX, getXattr, listXattr, removeXattr, setXattr } from '../fs/xattr.js';
import { type SyscallDef, sys } from './types.js';
import { pathArg } from './fs-util.js';

type Target = 'path' | 'lpath' | 'fd';

/** The file a call acts on: a path (followed or not) or an fd (O_PATH fds included, as Linux 6.x allows). */
function target(t: Task, on: Target, arg: number): Dentry {
  if (on === 'fd') return t.kernel.vfs.dentryOf(t.files.get(arg));
  return t.kernel.vfs.at(t, AT_FDCWD, pathArg(t, arg), 0, on === 'path');
}

/** The attribute name argument: ERANGE when it has no NUL within XATTR_NAME_MAX + 1 bytes. */
function nameArg(t: Task, p: number): string {
  try { return t.mem.cstring(p, XATTR_NAME_MAX + 1); } catch (e) {
    throw e instanceof LinuxError && e.errno === E.ENAMETOOLONG ? err(E.ERANGE) : e;
  }
}

/** A value or list for the caller's buffer, or its length when size was 0. */
function put(t: Task, buf: number, r: Uint8Array | number): number {
  if (typeof r === 'number') return r;
  t.mem.write(buf, r);
  return r.length;
}

const get = (on: Target) => (t: Task, x: number, name: number, buf: number, size: number): number =>
  put(t, buf, getXattr(t, target(t, on, x), nameArg(t, name), size));
const list = (on: Target) => (t: Task, x: number, buf: number, size: number): number =>
  put(t, buf, listXattr(t, target(t, on, x), size));
const set = (on: Target) => (t: Task, x: number, name: number, value: number, size: number, flags: number): number => {
  if (size < 0 || size > 65536) throw err(E.E2BIG);
  const d = target(t, on, x);
  const v = size === 0 ? new Uint8Array(0) : Uint8Array.from(t.mem.read(value, size));
  setXattr(t, d, nameArg(t, name), v, flags);
  return 0;
};
const remove = (on: Target) => (t: Task, x: number, name: number): number => {
  removeXattr(t, target(t, on, x), nameArg(t, name));
  return 0;
};

export const fsXattrSyscalls: SyscallDef[] = [
  // setxattr(2), lsetxattr(2), fsetxattr(2)
  sys(188, 'setxattr', ['path', 'str', 'ptr', 'size', 'flags'], set('path')),
  sys(189, 'lsetxattr', ['path', 'str', 'ptr', 'size', 'flags'], set('lpath')),
  sys(190, 'fsetxattr', ['fd', 'str', 'ptr', 'size', 'flags'], set('fd')),
  // getxattr(2), lgetxattr(2), fgetxattr(2)
  sys(191, 'getxattr', ['path', 'str', 'ptr', 'size'], get('path')),
  sys(192, 'lgetxattr', ['path', 'str', 'ptr', 'size'], get('lpath')),
  sys(193, 'fgetxattr', ['fd', 'str', 'ptr', 'size'], get('fd')),
  // listxattr(2), llistxattr(2), flistxattr(2)
  sys(194, 'listxattr', ['path', 'ptr', 'size'], list('path')),
  sys(195, 'llistxattr', ['path', 'ptr', 'size'], list('lpath')),
  sys(196, 'flistxattr', ['fd', 'ptr', 'size'], list('fd')),
  // removexattr(2), lremovexattr(2), fremovexattr(2)
  sys(197, 'removexattr', ['path', 'str'], remove('path')),
  sys(198, 'lremovexattr', ['path', 'str'], remove('lpath')),
  sys(199, 'fremovexattr', ['fd', 'str'], remove('fd')),
];
