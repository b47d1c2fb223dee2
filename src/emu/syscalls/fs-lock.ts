// Advisory locks: flock(2), and fcntl(2)'s record locks (F_GETLK/F_SETLK/F_SETLKW and the F_OFD_* forms)
// with their struct flock; the lock state is in fs/locks.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { SEEK_CUR, SEEK_END, SEEK_SET } from '../fs/constants.js';
import type { OpenFile } from '../fs/file.js';
import { flockFile } from '../fs/locks/flock.js';
import { F_RDLCK, F_UNLCK, F_WRLCK, OFFSET_MAX, type LockOwner, type LockRequest, setLock, testLock } from '../fs/locks/posix.js';
import { sys, type SyscallDef } from './types.js';
import { realFile } from './fs-util.js';
import { struct } from './abi.js';

export const F_LOCK = { GETLK: 5, SETLK: 6, SETLKW: 7, OFD_GETLK: 36, OFD_SETLK: 37, OFD_SETLKW: 38 } as const;

/** struct flock { short l_type, l_whence; off_t l_start, l_len; pid_t l_pid; } (32 bytes on x86-64). */
interface Flock { type: number; whence: number; start: bigint; len: bigint; pid: number; }

function readFlock(t: Task, addr: number): Flock {
  const b = t.mem.read(addr, 32);
  const dv = new DataView(b.buffer, b.byteOffset, 32);
  return { type: dv.getInt16(0, true), whence: dv.getInt16(2, true), start: dv.getBigInt64(8, true),
    len: dv.getBigInt64(16, true), pid: dv.getInt32(24, true) };
}

function writeFlock(t: Task, addr: number, l: Flock): void {
  const s = struct(32);
  s.dv.setInt16(0, l.type, true);
  s.dv.setInt16(2, l.whence, true);
  s.dv.setBigInt64(8, l.start, true);
  s.dv.setBigInt64(16, l.len, true);
  s.dv.setInt32(24, l.pid, true);
  t.mem.write(addr, s.u8);
}

/** The byte range of a struct flock (fs/locks.c flock_to_posix_lock): l_len 0 runs to EOF, a negative one ends before l_start. */
function toRange(f: OpenFile, l: Flock): LockRequest {
  let base: bigint;
  switch (l.whence) {
    case SEEK_SET: base = 0n; break;
    case SEEK_CUR: base = BigInt(f.pos); break;
    case SEEK_END: base = BigInt(f.stat().size); break;
    default: throw err(E.EINVAL);
  }
  if (l.start > OFFSET_MAX - base) throw err(E.EOVERFLOW);
  let start = base + l.start;
  if (start < 0n) throw err(E.EINVAL);
  let end = OFFSET_MAX;
  if (l.len > 0n) {
    if (l.len - 1n > OFFSET_MAX - start) throw err(E.EOVERFLOW);
    end = start + l.len - 1n;
  } else if (l.len < 0n) {
    if (start + l.len < 0n) throw err(E.EINVAL);
    end = start - 1n;
    start += l.len;
  }
  return { type: l.type, start, end };
}

/** fcntl's lock commands: classic locks belong to the fd table (reported with the holder's pid), OFD locks to the description (pid -1). */
export function recordLock(t: Task, fd: number, cmd: number, arg: number): number | Promise<number> {
  const f = realFile(t, fd);
  const l = readFlock(t, arg);
  const ofd = cmd >= F_LOCK.OFD_GETLK;
  if (ofd && l.pid !== 0) throw err(E.EINVAL);
  if (l.type !== F_RDLCK && l.type !== F_WRLCK && l.type !== F_UNLCK) throw err(E.EINVAL);
  const who: LockOwner = { owner: ofd ? f : t.files, ofd, pid: ofd ? -1 : t.process.pid };
  const req = toRange(f, l);
  if (cmd === F_LOCK.GETLK || cmd === F_LOCK.OFD_GETLK) {
    if (l.type === F_UNLCK) throw err(E.EINVAL);
    const h = testLock(f, who, req);
    if (!h) writeFlock(t, arg, { ...l, type: F_UNLCK });
    else writeFlock(t, arg, { type: h.type, whence: SEEK_SET, start: h.start, len: h.end === OFFSET_MAX ? 0n : h.end - h.start + 1n, pid: h.pid });
    return 0;
  }
  if ((l.type === F_RDLCK && !f.readable) || (l.type === F_WRLCK && !f.writable)) throw err(E.EBADF);
  return setLock(f, who, req, cmd === F_LOCK.SETLKW || cmd === F_LOCK.OFD_SETLKW);
}

export const fsLockSyscalls: SyscallDef[] = [
  // flock(2): LOCK_SH/LOCK_EX/LOCK_UN, LOCK_NB; EWOULDBLOCK; a blocked wait restarts under SA_RESTART
  sys(73, 'flock', ['fd', 'int'], (t, fd, op) => flockFile(realFile(t, fd), op, t.process.pid)),
];
