// Argument helpers shared by the file syscall families (fs-*.ts): guest paths, buffers, fds by access mode.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import type { OpenFile } from '../fs/file.js';
import { MAX_RW_COUNT } from '../fs/io.js';

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

/** The buffers of an iovec array, in order (total clamped to MAX_RW_COUNT). */
export function iovecViews(t: Task, iov: number, cnt: number, write: boolean): Uint8Array[] {
  if (cnt < 0 || cnt > 1024) throw err(E.EINVAL);
  const out: Uint8Array[] = [];
  let room = MAX_RW_COUNT;
  for (const v of t.mem.iovecs(iov, cnt)) {
    if (v.len > Number.MAX_SAFE_INTEGER || v.len < 0) throw err(E.EINVAL);
    const len = Math.min(v.len, room);
    room -= len;
    if (len > 0) out.push(...t.mem.slices(v.base, len, write));
  }
  return out;
}

/** Copy a byte string into guest memory (no NUL added). */
export const putBytes = (t: Task, addr: number, s: string): void => t.mem.write(addr, Buffer.from(s, 'latin1'));

/** A signed 64-bit value from guest memory (loff_t *). */
export const readOff = (t: Task, addr: number): number => Number(BigInt.asIntN(64, t.mem.readBig(addr)));
