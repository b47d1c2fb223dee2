// A kernel shell over a VolFs root in a temp distro directory, and short wrappers over the file syscalls
// (as the guest calls them) for the VolFs tests.
import type { Credentials } from '../../../../src/emu/kernel/task.js';
import { initialCaps } from '../../../../src/emu/kernel/capability.js';
import { AT_FDCWD, O } from '../../../../src/emu/fs/constants.js';
import type { Stat } from '../../../../src/emu/fs/stat.js';
import type { VolFs } from '../../../../src/emu/fs/volfs/volfs.js';
import { call, rootCreds, world, type World } from '../fake-task.js';

export type T = ReturnType<World['task']>;

export interface VolWorld extends World { fs: VolFs; }

/** A new (or, given `dir`, reopened) VolFs root. */
export function volWorld(dir?: string): VolWorld {
  const w = world(undefined, 'volfs', dir);
  return { ...w, fs: w.kernel.vfs.top.node.fs as VolFs };
}

export const userCreds = (uid: number, gid = uid, groups: number[] = [gid]): Credentials =>
  ({ uid, euid: uid, suid: uid, fsuid: uid, gid, egid: gid, sgid: gid, fsgid: gid, groups, ...initialCaps(uid) });
export { rootCreds };

const bytes = (t: T, s: string | Uint8Array) => {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  const a = t.mem.alloc(Math.max(1, b.length));
  t.mem.write(a, b);
  return a;
};
const p = (t: T, s: string) => t.mem.str(s);

/** Syscall wrappers: each returns the syscall's result (>= 0) or -errno. */
export const sc = {
  open: (t: T, path: string, flags = O.RDONLY, mode = 0o644) => call(t, 'openat', AT_FDCWD, p(t, path), flags, mode),
  close: (t: T, fd: number) => call(t, 'close', fd),
  write: (t: T, fd: number, s: string | Uint8Array) => call(t, 'write', fd, bytes(t, s), s.length),
  pwrite: (t: T, fd: number, s: string, off: number) => call(t, 'pwrite64', fd, bytes(t, s), s.length, off),
  /** Read up to n bytes: the text read, or the -errno. */
  read: async (t: T, fd: number, n = 4096): Promise<string | number> => {
    const a = t.mem.alloc(n);
    const r = await call(t, 'read', fd, a, n);
    return r < 0 ? r : t.mem.text(a, r);
  },
  mkdir: (t: T, path: string, mode = 0o755) => call(t, 'mkdirat', AT_FDCWD, p(t, path), mode),
  mknod: (t: T, path: string, mode: number, dev = 0) => call(t, 'mknodat', AT_FDCWD, p(t, path), mode, dev),
  symlink: (t: T, target: string, path: string) => call(t, 'symlinkat', p(t, target), AT_FDCWD, p(t, path)),
  link: (t: T, from: string, to: string, flags = 0, fromFd = AT_FDCWD) =>
    call(t, 'linkat', fromFd, p(t, from), AT_FDCWD, p(t, to), flags),
  unlink: (t: T, path: string) => call(t, 'unlinkat', AT_FDCWD, p(t, path), 0),
  rmdir: (t: T, path: string) => call(t, 'unlinkat', AT_FDCWD, p(t, path), 0x200),
  rename: (t: T, from: string, to: string, flags = 0) =>
    call(t, 'renameat2', AT_FDCWD, p(t, from), AT_FDCWD, p(t, to), flags),
  chmod: (t: T, path: string, mode: number) => call(t, 'fchmodat', AT_FDCWD, p(t, path), mode),
  chown: (t: T, path: string, uid: number, gid: number, flags = 0) =>
    call(t, 'fchownat', AT_FDCWD, p(t, path), uid, gid, flags),
  truncate: (t: T, path: string, len: number) => call(t, 'truncate', p(t, path), len),
  readlink: async (t: T, path: string): Promise<string | number> => {
    const a = t.mem.alloc(4096);
    const r = await call(t, 'readlinkat', AT_FDCWD, p(t, path), a, 4096);
    return r < 0 ? r : t.mem.text(a, r);
  },
  setxattr: (t: T, path: string, name: string, value: string, flags = 0) =>
    call(t, 'lsetxattr', p(t, path), p(t, name), bytes(t, value), value.length, flags),
  getxattr: async (t: T, path: string, name: string, size = 4096): Promise<string | number> => {
    const a = t.mem.alloc(Math.max(1, size));
    const r = await call(t, 'lgetxattr', p(t, path), p(t, name), a, size);
    return r < 0 || size === 0 ? r : t.mem.text(a, r);
  },
  listxattr: async (t: T, path: string, size = 4096): Promise<string[] | number> => {
    const a = t.mem.alloc(Math.max(1, size));
    const r = await call(t, 'llistxattr', p(t, path), a, size);
    return r < 0 || size === 0 ? r : t.mem.text(a, r).split('\0').filter(Boolean);
  },
  removexattr: (t: T, path: string, name: string) => call(t, 'lremovexattr', p(t, path), p(t, name)),
};

/** lstat through the VFS (as the guest's fstatat with AT_SYMLINK_NOFOLLOW would see it). */
export const lstat = (t: T, path: string): Stat => t.kernel.vfs.lookup(t, path, false).node.stat();
export const perm = (t: T, path: string): number => lstat(t, path).mode & 0o7777;
