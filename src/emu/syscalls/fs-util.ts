// Argument helpers shared by the file syscall families (fs-*.ts): guest paths, buffers, fds by access mode.
import { E, err, LinuxError } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import type { OpenFile } from '../fs/file.js';
import { MAX_RW_COUNT } from '../fs/io.js';
import { O, isReg } from '../fs/constants.js';
import { RLIMIT, RLIM_INFINITY } from '../kernel/rlimits.js';
import { postSignal } from '../kernel/signal-deliver.js';
import { SIG } from '../kernel/signals.js';
import type { KTask } from '../kernel/thread.js';

/** A path argument (a byte string); EFAULT for a bad pointer, ENAMETOOLONG past PATH_MAX. */
export const pathArg = (t: Task, p: number): string => t.mem.cstring(p);

/** The open file at fd, which must be open for reading (EBADF otherwise, and for O_PATH). */
export function readableFile(t: Task, fd: number): OpenFile {
  const f = t.files.get(fd);
  if (!f.readable) throw err(E.EBADF);
  return f;
}

/** The open file at fd, open for writing, about to be written by t (setuid/setgid dropped: file_remove_privs). */
export function writableFile(t: Task, fd: number): OpenFile {
  const f = t.files.get(fd);
  if (!f.writable) throw err(E.EBADF);
  f.killPrivs(t.creds);
  return f;
}

/** The open file at fd unless it is an O_PATH descriptor (EBADF), for calls that act on the file. */
export function realFile(t: Task, fd: number): OpenFile {
  const f = t.files.get(fd);
  if (f.isPath) throw err(E.EBADF);
  return f;
}

/** Guest buffer views of [addr, addr+count), count clamped to MAX_RW_COUNT. */
export const bufferViews = (t: Task, addr: number, count: number, write: boolean): Uint8Array[] =>
  count === 0 ? [] : t.mem.slices(addr, Math.min(count, MAX_RW_COUNT), write);

/**
 * The buffers of an iovec array, in order (total clamped to MAX_RW_COUNT). A buffer that is not mapped ends the
 * list there, as the copy faulting part way makes a short read or write; only a fault before any byte is EFAULT.
 */
export function iovecViews(t: Task, iov: number, cnt: number, write: boolean): Uint8Array[] {
  if (cnt < 0 || cnt > 1024) throw err(E.EINVAL);
  const vecs = [...t.mem.iovecs(iov, cnt)];
  if (vecs.some((v) => v.len > Number.MAX_SAFE_INTEGER || v.len < 0)) throw err(E.EINVAL);
  const out: Uint8Array[] = [];
  let room = MAX_RW_COUNT;
  for (const v of vecs) {
    const len = Math.min(v.len, room);
    room -= len;
    if (len === 0) continue;
    try { out.push(...t.mem.slices(v.base, len, write)); } catch (e) {
      if (out.length === 0 || !(e instanceof LinuxError) || e.errno !== E.EFAULT) throw e;
      break;
    }
  }
  return out;
}

/** Copy a byte string into guest memory (no NUL added). */
export const putBytes = (t: Task, addr: number, s: string): void => t.mem.write(addr, Buffer.from(s, 'latin1'));

/** A signed 64-bit value from guest memory (loff_t *). */
export const readOff = (t: Task, addr: number): number => Number(BigInt.asIntN(64, t.mem.readBig(addr)));

/** RLIMIT_FSIZE: the size a regular file may grow to (Infinity without a limit). */
export function fsizeLimit(t: Task): number {
  const cur = t.process.rlimits[RLIMIT.FSIZE].cur;
  return cur === RLIM_INFINITY ? Infinity : Number(cur);
}

/** A write or truncate past RLIMIT_FSIZE: SIGXFSZ to the caller, and EFBIG (send_sig in generic_write_check_limits). */
export function fileTooBig(t: Task): never {
  postSignal(t as KTask, SIG.SIGXFSZ, { code: 0, pid: t.process.pid, uid: t.creds.uid });
  throw err(E.EFBIG);
}

/** A truncate or fallocate growing a file from size to newSize: past RLIMIT_FSIZE, fileTooBig (inode_newsize_ok). */
export function growWithinFsize(t: Task, size: number, newSize: number): void {
  if (newSize > size && newSize > fsizeLimit(t)) fileTooBig(t);
}

/**
 * The buffers of a write to f at pos (-1: the file position, or the end with O_APPEND), cut short at
 * RLIMIT_FSIZE for a regular file; a write starting at or past the limit is fileTooBig.
 */
export function withinFsize(t: Task, f: OpenFile, bufs: Uint8Array[], pos: number): Uint8Array[] {
  const limit = fsizeLimit(t);
  if (limit === Infinity || bufs.length === 0) return bufs;
  const st = f.stat();
  if (!isReg(st.mode)) return bufs;
  const at = pos >= 0 ? pos : f.flags & O.APPEND ? st.size : f.pos;
  if (at >= limit) fileTooBig(t);
  let room = limit - at;
  const out: Uint8Array[] = [];
  for (const b of bufs) {
    if (room <= 0) break;
    out.push(b.length <= room ? b : b.subarray(0, room));
    room -= b.length;
  }
  return out;
}
