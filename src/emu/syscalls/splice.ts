// splice(2), tee(2), vmsplice(2) (fs/splice.c): the argument checks in Linux's order; the moving is fs/splice.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { O, isDir, isReg } from '../fs/constants.js';
import type { IoResult, OpenFile } from '../fs/file.js';
import { PipeEnd } from '../fs/pipe.js';
import { type FileEnd, pipeToPipe, spliceFromPipe, spliceToPipe, vmspliceFromPipe, vmspliceToPipe } from '../fs/splice.js';
import { MAX_RW_COUNT } from '../fs/io.js';
import { IN } from '../fs/notify/fsnotify.js';
import { afterIo } from '../fs/notify/vfs-events.js';
import { sys, type SyscallDef } from './types.js';
import { iovecViews, readOff } from './fs-util.js';

const SPLICE_F_MOVE = 1, SPLICE_F_NONBLOCK = 2, SPLICE_F_MORE = 4, SPLICE_F_GIFT = 8;
const SPLICE_F_ALL = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT;

const pipeOf = (f: OpenFile) => (f instanceof PipeEnd ? f.pipe : null);
const nonblocking = (flags: number, ...fs: OpenFile[]): boolean =>
  (flags & SPLICE_F_NONBLOCK) !== 0 || fs.some((f) => f.nonblocking);

/** Store the advanced offset (*off_in / *off_out) or the file position once the transfer is done. */
function settle(t: Task, r: IoResult, end: FileEnd, offp: number): IoResult {
  const store = (n: number): number => {
    if (offp) t.mem.writeU64(offp, BigInt(end.pos!));
    else if (end.pos !== null) end.file.pos = end.pos;
    return n;
  };
  return typeof r === 'number' ? store(r) : r.then(store);
}

/**
 * Where a file end starts: regular files at *offp when given (their position untouched) or at the file
 * position; other files (sockets, devices) as streams, where an offset is EINVAL (no FMODE_PREAD/PWRITE).
 */
function fileEnd(t: Task, f: OpenFile, offp: number): FileEnd {
  const mode = f.stat().mode;
  if (isDir(mode)) throw err(E.EINVAL);
  if (!isReg(mode)) {
    if (offp) throw err(E.EINVAL);
    return { file: f, pos: null };
  }
  const pos = offp ? readOff(t, offp) : f.pos;
  if (pos < 0) throw err(E.EINVAL);
  return { file: f, pos };
}

/** splice(2): one end must be a pipe; MOVE and MORE are hints (SPLICE_F_MOVE: pages are copied anyway). */
function splice(t: Task, fdIn: number, offIn: number, fdOut: number, offOut: number, len: number, flags: number): IoResult {
  if (len === 0) return 0;
  if (flags & ~SPLICE_F_ALL) throw err(E.EINVAL);
  const fin = t.files.get(fdIn), fout = t.files.get(fdOut);
  const ip = pipeOf(fin), op = pipeOf(fout);
  if ((ip && offIn) || (op && offOut)) throw err(E.ESPIPE);
  if (!fin.readable || !fout.writable) throw err(E.EBADF);
  len = Math.min(len, MAX_RW_COUNT);
  if (ip && op) return pipeToPipe(ip, op, len, nonblocking(flags, fin, fout), false);
  if (ip) {
    if (fout.flags & O.APPEND) throw err(E.EINVAL);
    const end = fileEnd(t, fout, offOut);
    return afterIo(fout, IN.MODIFY, settle(t, spliceFromPipe(ip, end, len, nonblocking(flags, fin)), end, offOut));
  }
  if (op) {
    const end = fileEnd(t, fin, offIn);
    return afterIo(fin, IN.ACCESS, settle(t, spliceToPipe(end, op, len, nonblocking(flags, fout)), end, offIn));
  }
  throw err(E.EINVAL);
}

/** tee(2): both ends pipes, different ones; the input keeps its data. */
function tee(t: Task, fdIn: number, fdOut: number, len: number, flags: number): IoResult {
  if (flags & ~SPLICE_F_ALL) throw err(E.EINVAL);
  if (len === 0) return 0;
  const fin = t.files.get(fdIn), fout = t.files.get(fdOut);
  if (!fin.readable || !fout.writable) throw err(E.EBADF);
  const ip = pipeOf(fin), op = pipeOf(fout);
  if (!ip || !op) throw err(E.EINVAL);
  return pipeToPipe(ip, op, Math.min(len, MAX_RW_COUNT), nonblocking(flags, fin, fout), true);
}

/** vmsplice(2): user memory into a pipe's write end, or out of its read end (then it acts like readv). */
function vmsplice(t: Task, fd: number, iov: number, nr: number, flags: number): IoResult {
  if (flags & ~SPLICE_F_ALL) throw err(E.EINVAL);
  const f = t.files.get(fd);
  if (!f.readable && !f.writable) throw err(E.EBADF);
  const bufs = iovecViews(t, iov, nr, !f.writable);
  if (bufs.length === 0) return 0;
  const p = pipeOf(f);
  if (!p) throw err(E.EBADF);
  return f.writable ? vmspliceToPipe(p, bufs, nonblocking(flags, f)) : vmspliceFromPipe(p, bufs, nonblocking(flags, f));
}

export const spliceSyscalls: SyscallDef[] = [
  // splice(2)
  sys(275, 'splice', ['fd', 'ptr', 'fd', 'ptr', 'size', 'flags'], splice),
  // tee(2)
  sys(276, 'tee', ['fd', 'fd', 'size', 'flags'], tee),
  // vmsplice(2)
  sys(278, 'vmsplice', ['fd', 'ptr', 'size', 'flags'], vmsplice),
];
