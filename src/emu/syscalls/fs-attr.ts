// Attributes: chmod, fchmod, fchmodat, chown, fchown, lchown, fchownat, utimensat, utimes, futimesat, utime,
// truncate, ftruncate, umask, fallocate, fadvise64, fchmodat2, name_to_handle_at, open_by_handle_at.
import { CAP, capable } from '../kernel/capability.js';
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { AT, AT_FDCWD, FALLOC, S_IFBLK, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG } from '../fs/constants.js';
import { type TimeSpec, chmodNode, chownNode, truncateNode, utimensNode } from '../fs/attr.js';
import { type SyscallDef, partial, sys } from './types.js';
import { growWithinFsize, pathArg, realFile } from './fs-util.js';
import { IN } from '../fs/notify/fsnotify.js';
import { fileEvent } from '../fs/notify/vfs-events.js';

const vfsAt = (t: Task, dirfd: number, p: number, flags = 0, follow = true) =>
  t.kernel.vfs.at(t, dirfd, pathArg(t, p), flags, follow);
const fdDentry = (t: Task, fd: number) => t.kernel.vfs.dentryOf(realFile(t, fd));

function chownAt(t: Task, dirfd: number, p: number, uid: number, gid: number, flags: number): number {
  if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) throw err(E.EINVAL);
  chownNode(t, vfsAt(t, dirfd, p, flags), uid, gid);
  return 0;
}

/** Two 16-byte pairs (timespec or timeval, unit ns per tick of the second field) from guest memory. */
function readTimes(t: Task, addr: number, nsPerUnit: number): [TimeSpec, TimeSpec] | null {
  if (addr === 0) return null;
  const b = Buffer.from(t.mem.read(addr, 32));
  const pair = (o: number): TimeSpec => ({ sec: Number(b.readBigInt64LE(o)), nsec: Number(b.readBigInt64LE(o + 8)) * nsPerUnit });
  const [a, m] = [pair(0), pair(16)];
  if (nsPerUnit !== 1 && [a, m].some((x) => x.nsec < 0 || x.nsec >= 1e9)) throw err(E.EINVAL);
  return [a, m];
}

/** utimensat(2): a NULL path acts on dirfd itself (do_futimes: not an O_PATH fd, EBADF). */
function utimensat(t: Task, dirfd: number, p: number, times: number, flags: number): number {
  if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) throw err(E.EINVAL);
  const d = p === 0 ? (dirfd === AT_FDCWD ? t.fs.cwd : fdDentry(t, dirfd)) : vfsAt(t, dirfd, p, flags);
  utimensNode(t, d, readTimes(t, times, 1));
  return 0;
}

function futimesat(t: Task, dirfd: number, p: number, tv: number): number {
  utimensNode(t, vfsAt(t, dirfd, p), readTimes(t, tv, 1000));
  return 0;
}

/** utime(2): struct utimbuf { actime, modtime } in seconds. */
function utime(t: Task, p: number, buf: number): number {
  let times: [TimeSpec, TimeSpec] | null = null;
  if (buf !== 0) {
    const b = Buffer.from(t.mem.read(buf, 16));
    times = [{ sec: Number(b.readBigInt64LE(0)), nsec: 0 }, { sec: Number(b.readBigInt64LE(8)), nsec: 0 }];
  }
  utimensNode(t, vfsAt(t, AT_FDCWD, p), times);
  return 0;
}

function ftruncate(t: Task, fd: number, len: number): number {
  if (len < 0) throw err(E.EINVAL);
  const f = t.files.get(fd);
  if (f.isPath) throw err(E.EBADF);
  if (!f.writable) throw err(E.EINVAL);
  f.killPrivs(t.creds);
  growWithinFsize(t, f.stat().size, len);
  f.truncate(len);
  fileEvent(f, IN.MODIFY);
  return 0;
}

/** fallocate(2), checked in fs/open.c vfs_fallocate's order; the filesystem does the mode. */
function fallocate(t: Task, fd: number, mode: number, off: number, len: number): number {
  if (off < 0 || len <= 0) throw err(E.EINVAL);
  // one mode at a time, KEEP_SIZE beside it where it means something
  switch (mode & ~FALLOC.KEEP_SIZE) {
    case 0: case FALLOC.ZERO_RANGE: break;
    case FALLOC.PUNCH_HOLE: if (!(mode & FALLOC.KEEP_SIZE)) throw err(E.EOPNOTSUPP); break;
    case FALLOC.COLLAPSE_RANGE: case FALLOC.INSERT_RANGE: if (mode & FALLOC.KEEP_SIZE) throw err(E.EOPNOTSUPP); break;
    default: throw err(E.EOPNOTSUPP);
  }
  const f = realFile(t, fd);
  if (!f.writable) throw err(E.EBADF);
  const { mode: st, size } = f.stat();
  const type = st & S_IFMT;
  if (type === S_IFIFO) throw err(E.ESPIPE);
  if (type === S_IFDIR) throw err(E.EISDIR);
  if (type !== S_IFREG && type !== S_IFBLK) throw err(E.ENODEV);
  f.killPrivs(t.creds);
  if (mode & FALLOC.INSERT_RANGE) growWithinFsize(t, size, size + len);
  else if (!(mode & FALLOC.KEEP_SIZE)) growWithinFsize(t, size, off + len);
  if (mode) f.fallocate(mode, off, len); else f.allocate(off, len);
  fileEvent(f, IN.MODIFY);
  return 0;
}

const MAX_HANDLE_SZ = 128;

/**
 * open_by_handle_at(2) as fs/fhandle.c checks it: CAP_DAC_READ_SEARCH (EPERM), the handle's size (EINVAL), the
 * mount fd (EBADF); then, as for any filesystem without export_operations (exportfs_decode_fh), ESTALE.
 */
function openByHandleAt(t: Task, mountfd: number, handle: number): number {
  if (!capable(t.creds, CAP.DAC_READ_SEARCH)) throw err(E.EPERM);
  const bytes = t.mem.readU32(handle);
  if (bytes === 0 || bytes > MAX_HANDLE_SZ) throw err(E.EINVAL);
  t.mem.read(handle + 8, bytes);
  if (mountfd !== AT_FDCWD) t.files.get(mountfd);
  throw err(E.ESTALE);
}

export const fsAttrSyscalls: SyscallDef[] = [
  // chmod(2)
  sys(90, 'chmod', ['path', 'mode'], (t, p, mode) => { chmodNode(t, vfsAt(t, AT_FDCWD, p), mode); return 0; }),
  // fchmod(2)
  sys(91, 'fchmod', ['fd', 'mode'], (t, fd, mode) => { chmodNode(t, fdDentry(t, fd), mode); return 0; }),
  // fchmodat(2): the syscall has no flags argument (glibc emulates AT_SYMLINK_NOFOLLOW)
  sys(268, 'fchmodat', ['fd', 'path', 'mode'], (t, dirfd, p, mode) => { chmodNode(t, vfsAt(t, dirfd, p), mode); return 0; }),
  // fchmodat2(2): AT_SYMLINK_NOFOLLOW (a symlink's mode cannot change: EOPNOTSUPP) and AT_EMPTY_PATH
  sys(452, 'fchmodat2', ['fd', 'path', 'mode', 'flags'], (t, dirfd, p, mode, flags) => {
    if (flags & ~(AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH)) throw err(E.EINVAL);
    chmodNode(t, vfsAt(t, dirfd, p, flags), mode);
    return 0;
  }),
  // chown(2)
  sys(92, 'chown', ['path', 'int', 'int'], (t, p, uid, gid) => chownAt(t, AT_FDCWD, p, uid, gid, 0)),
  // fchown(2)
  sys(93, 'fchown', ['fd', 'int', 'int'], (t, fd, uid, gid) => { chownNode(t, fdDentry(t, fd), uid, gid); return 0; }),
  // lchown(2)
  sys(94, 'lchown', ['path', 'int', 'int'], (t, p, uid, gid) => chownAt(t, AT_FDCWD, p, uid, gid, AT.SYMLINK_NOFOLLOW)),
  // fchownat(2)
  sys(260, 'fchownat', ['fd', 'path', 'int', 'int', 'flags'], chownAt),
  // utimensat(2): UTIME_NOW, UTIME_OMIT; hostfs stores about microsecond precision
  sys(280, 'utimensat', ['fd', 'path', 'ptr', 'flags'], utimensat),
  // utimes(2)
  sys(235, 'utimes', ['path', 'ptr'], (t, p, tv) => futimesat(t, AT_FDCWD, p, tv)),
  // futimesat(2)
  sys(261, 'futimesat', ['fd', 'path', 'ptr'], futimesat),
  // utime(2)
  sys(132, 'utime', ['path', 'ptr'], utime),
  // truncate(2)
  sys(76, 'truncate', ['path', 'off'], (t, p, len) => {
    const d = vfsAt(t, AT_FDCWD, p);
    if (len >= 0) growWithinFsize(t, d.node.stat().size, len);
    truncateNode(t, d, len);
    return 0;
  }),
  // ftruncate(2)
  sys(77, 'ftruncate', ['fd', 'off'], ftruncate),
  // umask(2)
  sys(95, 'umask', ['mode'], (t, mask) => { const old = t.fs.umask; t.fs.umask = mask & 0o777; return old; }),
  // fallocate(2): every mode by its effect on the contents; blocks are not preallocated (st_blocks follows the host)
  partial(285, 'fallocate', ['fd', 'int', 'off', 'off'], 'no block preallocation: KEEP_SIZE past the end reserves nothing; tmpfs/memfd take KEEP_SIZE and PUNCH_HOLE only, as shmem', fallocate),
  // fadvise64(2): advice is accepted and ignored
  sys(221, 'fadvise64', ['fd', 'off', 'off', 'int'], (t, fd, _off, _len, advice) => {
    const st = realFile(t, fd).stat();
    if ((st.mode & 0o170000) === 0o010000) throw err(E.ESPIPE);
    if (advice < 0 || advice > 5) throw err(E.EINVAL);
    return 0;
  }),
  // readahead(2): fadvise(POSIX_FADV_WILLNEED) on a readable regular file; a hint (no page cache to fill)
  sys(187, 'readahead', ['fd', 'off', 'size'], (t, fd) => {
    const f = realFile(t, fd);
    if (!f.readable) throw err(E.EBADF);
    if ((f.stat().mode & 0o170000) !== 0o100000) throw err(E.EINVAL);
    return 0;
  }),
  // name_to_handle_at(2): no file handles
  partial(303, 'name_to_handle_at', ['fd', 'path', 'ptr', 'ptr', 'flags'], 'file handles unsupported: EOPNOTSUPP',
    () => { throw err(E.EOPNOTSUPP); }),
  // open_by_handle_at(2): no filesystem here has export operations, so a handle never decodes
  partial(304, 'open_by_handle_at', ['fd', 'ptr', 'flags'], 'no filesystem exports handles: ESTALE once the checks pass', openByHandleAt),
];
