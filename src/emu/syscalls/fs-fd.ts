// Descriptors: dup, dup2, dup3, fcntl, ioctl (the generic requests), fsync, fdatasync, sync, syncfs.
import { E, err } from '../kernel/errno.js';
import { ownerOrCapable } from '../fs/permission.js';
import type { Task } from '../kernel/task.js';
import { O, S_IFBLK, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from '../fs/constants.js';
import { HostFile } from '../fs/hostfs/host-file.js';
import { partial, sys, type SyscallDef } from './types.js';
import { realFile } from './fs-util.js';
import { PipeEnd } from '../fs/pipe.js';
import { MemFile, SEAL } from '../fs/memfd.js';
import { TmpFile } from '../fs/tmpfs/tmp-file.js';
import type { OpenFile } from '../fs/file.js';
import { F_LOCK, recordLock } from './fs-lock.js';
import { UnixSocket } from '../net/unix-socket.js';
import { InetSocket } from '../net/inet-socket.js';
import { AF_INET } from '../net/inet-address.js';
import { isNetdeviceRequest, netdeviceIoctl } from '../net/netdevice-ioctl.js';
import { F_UNLCK } from '../fs/locks/posix.js';

const F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032, F_ADD_SEALS = 1033, F_GET_SEALS = 1034;

const F = {
  DUPFD: 0, GETFD: 1, SETFD: 2, GETFL: 3, SETFL: 4, SETOWN: 8, GETOWN: 9, SETSIG: 10, GETSIG: 11, SETOWN_EX: 15,
  GETOWN_EX: 16, GETLEASE: 1025,
  DUPFD_CLOEXEC: 1030,
} as const;
const FD_CLOEXEC = 1;

const F_OWNER = { TID: 0, PID: 1, PGRP: 2 } as const;

/** F_SETOWN(_EX): the owner must exist (ESRCH); 0 clears it (f_setown, f_setown_ex). */
function setOwner(t: Task, f: OpenFile, type: number, pid: number): void {
  if (type !== F_OWNER.TID && type !== F_OWNER.PID && type !== F_OWNER.PGRP) throw err(E.EINVAL);
  const tasks = [...t.kernel.tasks.values()];
  const exists = type === F_OWNER.PGRP ? tasks.some((o) => o.process.pgid === pid)
    : type === F_OWNER.PID ? tasks.some((o) => o.process.pid === pid) : t.kernel.tasks.has(pid);
  if (pid !== 0 && !exists) throw err(E.ESRCH);
  f.fown = { type, pid };
}

/** fcntl(2). */
function fcntl(t: Task, fd: number, cmd: number, arg: number): number | Promise<number> {
  const files = t.files;
  switch (cmd) {
    case F.DUPFD: case F.DUPFD_CLOEXEC: return files.dup(fd, arg | 0, cmd === F.DUPFD_CLOEXEC);
    case F.GETFD: return files.getCloexec(fd) ? FD_CLOEXEC : 0;
    case F.SETFD: files.setCloexec(fd, (arg & FD_CLOEXEC) !== 0); return 0;
    case F.GETFL: return files.get(fd).flags;
    case F.SETFL: {
      const f = realFile(t, fd);
      // changing O_NOATIME either way is for the file's owner (or CAP_FOWNER) only (setfl)
      if (((arg ^ f.flags) & O.NOATIME) && !ownerOrCapable(f.stat(), t.creds)) throw err(E.EPERM);
      f.setStatusFlags(arg);
      return 0;
    }
    case F_LOCK.GETLK: case F_LOCK.SETLK: case F_LOCK.SETLKW: case F_LOCK.OFD_GETLK: case F_LOCK.OFD_SETLK: case F_LOCK.OFD_SETLKW:
      return recordLock(t, fd, cmd, arg);
    case F.GETOWN: { const o = realFile(t, fd).fown; return o.type === F_OWNER.PGRP ? -o.pid : o.pid; }
    case F.SETOWN: setOwner(t, realFile(t, fd), (arg | 0) < 0 ? F_OWNER.PGRP : F_OWNER.PID, Math.abs(arg | 0)); return 0;
    case F.GETOWN_EX: { const o = realFile(t, fd).fown; t.mem.writeI32(arg, o.type); t.mem.writeI32(arg + 4, o.pid); return 0; }
    case F.SETOWN_EX: setOwner(t, realFile(t, fd), t.mem.readI32(arg), t.mem.readI32(arg + 4)); return 0;
    case F.GETSIG: return realFile(t, fd).ownerSignal;
    case F.SETSIG: {
      const f = realFile(t, fd);
      if (arg < 0 || arg > 64) throw err(E.EINVAL); // valid_signal
      f.ownerSignal = arg;
      return 0;
    }
    case F.GETLEASE: realFile(t, fd); return F_UNLCK;
    case F_ADD_SEALS: case F_GET_SEALS: {
      const f = files.get(fd);
      // a tmpfs file not made by memfd_create carries F_SEAL_SEAL from the start (shmem_get_inode)
      if (f instanceof TmpFile) { if (cmd === F_GET_SEALS) return SEAL.SEAL; throw err(E.EPERM); }
      if (!(f instanceof MemFile)) throw err(E.EINVAL);
      if (cmd === F_GET_SEALS) return f.seals;
      f.addSeals(arg);
      return 0;
    }
    case F_SETPIPE_SZ: case F_GETPIPE_SZ: {
      const f = files.get(fd);
      if (!(f instanceof PipeEnd)) throw err(E.EBADF);
      return cmd === F_GETPIPE_SZ ? f.capacity : f.setCapacity(arg);
    }
    default: files.get(fd); throw err(E.EINVAL);
  }
}

const FIONCLEX = 0x5450, FIOCLEX = 0x5451, FIONBIO = 0x5421, FIOASYNC = 0x5452, FIONREAD = 0x541b;
const FICLONE = 0x40049409, FICLONERANGE = 0x4020940d;

/**
 * FICLONE/FICLONERANGE (ioctl_file_clone, generic_file_rw_checks): the usual checks, then EOPNOTSUPP, as on a
 * Linux filesystem without remap_file_range: none here shares extents between files.
 */
function cloneIoctl(t: Task, dst: OpenFile, req: number, arg: number): number {
  const srcFd = req === FICLONE ? arg : t.mem.readU64(arg); // struct file_clone_range starts with the s64 src_fd
  const src = realFile(t, srcFd);
  if (src.dentry?.mount !== dst.dentry?.mount) throw err(E.EXDEV);
  for (const f of [src, dst]) {
    const mode = f.stat().mode & S_IFMT;
    if (mode === S_IFDIR) throw err(E.EISDIR);
    if (mode !== S_IFREG) throw err(E.EINVAL);
  }
  if (!src.readable || !dst.writable || dst.flags & O.APPEND) throw err(E.EBADF);
  throw err(E.EOPNOTSUPP);
}

/** ioctl(2): the fd-level requests here, the rest to the file (ENOTTY unless it is a device that knows it). */
function ioctl(t: Task, fd: number, req: number, arg: number) {
  const f = realFile(t, fd);
  const toggle = (bit: number): number => {
    const on = t.mem.readI32(arg) !== 0;
    f.setStatusFlags(on ? f.flags | bit : f.flags & ~bit);
    return 0;
  };
  switch (req) {
    case FIOCLEX: t.files.setCloexec(fd, true); return 0;
    case FIONCLEX: t.files.setCloexec(fd, false); return 0;
    case FIONBIO: return toggle(O.NONBLOCK);
    case FIOASYNC: return toggle(O.ASYNC);
    case FICLONE: case FICLONERANGE: return cloneIoctl(t, f, req, arg);
    case FIONREAD: {
      const n = f.available();
      if (n === null) break;
      t.mem.writeI32(arg, Math.min(n, 0x7fffffff));
      return 0;
    }
  }
  // the interface requests work on any socket (sock_ioctl -> dev_ioctl)
  if ((f instanceof UnixSocket || f instanceof InetSocket) && isNetdeviceRequest(req)) {
    return netdeviceIoctl(t, req, arg, f instanceof InetSocket && f.domain === AF_INET);
  }
  return f.ioctl(t, req, arg);
}


export const fsFdSyscalls: SyscallDef[] = [
  // dup(2)
  sys(32, 'dup', ['fd'], (t, fd) => t.files.dup(fd)),
  // dup2(2): oldfd == newfd returns newfd once oldfd is checked
  sys(33, 'dup2', ['fd', 'fd'], (t, oldfd, newfd) => t.files.dup2(oldfd, newfd, false, false)),
  // dup3(2): O_CLOEXEC only; oldfd == newfd is EINVAL
  sys(292, 'dup3', ['fd', 'fd', 'flags'], (t, oldfd, newfd, flags) => {
    if (flags & ~O.CLOEXEC) throw err(E.EINVAL);
    return t.files.dup2(oldfd, newfd, (flags & O.CLOEXEC) !== 0, true);
  }),
  // fcntl(2)
  partial(72, 'fcntl', ['fd', 'int', 'u64'], 'F_SETOWN(_EX)/F_SETSIG kept and read back, but no SIGIO is sent; F_GETLEASE reads F_UNLCK, F_SETLEASE and F_NOTIFY: EINVAL', fcntl),
  // ioctl(2)
  sys(16, 'ioctl', ['fd', 'uint', 'u64'], ioctl),
  // fsync(2)
  sys(74, 'fsync', ['fd'], (t, fd) => { realFile(t, fd).sync(); return 0; }),
  // fdatasync(2)
  sys(75, 'fdatasync', ['fd'], (t, fd) => {
    const f = realFile(t, fd);
    if (f instanceof HostFile) f.datasync(); else f.sync();
    return 0;
  }),
  // sync(2): host writes are already in the host's page cache; nothing of ours is buffered
  sys(162, 'sync', [], () => 0),
  // syncfs(2)
  sys(306, 'syncfs', ['fd'], (t, fd) => { realFile(t, fd); return 0; }),
  sys(277, 'sync_file_range', ['fd', 'off', 'off', 'flags'], syncFileRange),
];

/**
 * sync_file_range(2): SYNC_FILE_RANGE_WRITE (and the waits) write the file out; the range is checked, but
 * the host has no ranged sync, so the whole file's data is synced (a stronger guarantee).
 */
function syncFileRange(t: Task, fd: number, offset: number, nbytes: number, flags: number): number {
  if (flags & ~7 || offset < 0 || nbytes < 0 || offset + nbytes > Number.MAX_SAFE_INTEGER) throw err(E.EINVAL);
  const f = realFile(t, fd);
  const type = f.stat().mode & S_IFMT;
  if (type !== S_IFREG && type !== S_IFBLK && type !== S_IFDIR && type !== S_IFLNK) throw err(E.ESPIPE);
  if (flags) { if (f instanceof HostFile) f.datasync(); else f.sync(); }
  return 0;
}
