// Reading and writing: read, write, pread64, pwrite64, readv, writev, preadv(2), pwritev(2), lseek,
// sendfile, copy_file_range (fs/read_write.c).
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import type { IoResult, OpenFile } from '../fs/file.js';
import { O, isDir, isReg } from '../fs/constants.js';
import { pump, readInto, transfer } from '../fs/io.js';
import { partial, sys, type SyscallDef } from './types.js';
import { bufferViews, iovecViews, readOff, readableFile, realFile, withinFsize, writableFile } from './fs-util.js';
import { IN } from '../fs/notify/fsnotify.js';
import { afterIo } from '../fs/notify/vfs-events.js';

/** Reads report IN_ACCESS and writes IN_MODIFY when bytes moved (vfs_read/vfs_write). */
const accessed = (f: OpenFile, r: IoResult): IoResult => afterIo(f, IN.ACCESS, r);
const modified = (f: OpenFile, r: IoResult): IoResult => afterIo(f, IN.MODIFY, r);

const checkPos = (pos: number): number => { if (pos < 0) throw err(E.EINVAL); return pos; };

/** RWF_* flags of preadv2/pwritev2 are not supported: only 0. */
const noRwf = (flags: number): void => { if (flags !== 0) throw err(E.EOPNOTSUPP); };

/** preadv2/pwritev2: offset -1 means the file position. */
const readvAt = (t: Task, fd: number, iov: number, cnt: number, pos: number) => {
  const f = readableFile(t, fd);
  const bufs = iovecViews(t, iov, cnt, true);
  return accessed(f, pos === -1 ? readInto(f, bufs) : transfer(bufs, (b, done) => f.pread(b, checkPos(pos) + done)));
};
const writevAt = (t: Task, fd: number, iov: number, cnt: number, pos: number) => {
  const f = writableFile(t, fd);
  const bufs = withinFsize(t, f, iovecViews(t, iov, cnt, false), pos);
  return modified(f, pos === -1 ? transfer(bufs, (b) => f.write(b)) : transfer(bufs, (b, done) => f.pwrite(b, checkPos(pos) + done)));
};

/** sendfile(2): from in_fd (at *offset when given, leaving its position alone) to out_fd. */
function sendfile(t: Task, outFd: number, inFd: number, offp: number, count: number) {
  const src = readableFile(t, inFd), dst = writableFile(t, outFd);
  if (dst.flags & O.APPEND) throw err(E.EINVAL);
  const both = (r: IoResult): IoResult => modified(dst, accessed(src, r));
  if (offp === 0) return both(pump((b) => src.read(b), (b) => dst.write(b), count));
  let pos = checkPos(readOff(t, offp));
  const r = pump((b) => { const n = src.pread(b, pos); pos += n; return n; }, (b) => dst.write(b), count);
  const store = (n: number): number => { t.mem.writeU64(offp, BigInt(pos)); return n; };
  return both(typeof r === 'number' ? store(r) : r.then(store));
}

function regular(f: OpenFile): OpenFile {
  const m = f.stat().mode;
  if (isDir(m)) throw err(E.EISDIR);
  if (!isReg(m)) throw err(E.EINVAL);
  return f;
}

/** copy_file_range(2) between regular files, by reading and writing (no reflink). */
function copyFileRange(t: Task, inFd: number, offIn: number, outFd: number, offOut: number, len: number, flags: number): number {
  if (flags !== 0) throw err(E.EINVAL);
  const src = regular(readableFile(t, inFd)), dst = regular(writableFile(t, outFd));
  if (dst.flags & O.APPEND) throw err(E.EBADF);
  // without an offset pointer, each side reads or writes at its file position, as read(2)/write(2) do (a host
  // stdout redirected to a file keeps its position in the host fd, not in a number of ours)
  let rpos = offIn ? checkPos(readOff(t, offIn)) : 0;
  let wpos = offOut ? checkPos(readOff(t, offOut)) : 0;
  const n = pump(offIn ? (b) => { const k = src.pread(b, rpos); rpos += k; return k; } : (b) => src.read(b),
    offOut ? (b) => { const k = dst.pwrite(b, wpos); wpos += k; return k; } : (b) => dst.write(b), len) as number;
  if (offIn) t.mem.writeU64(offIn, BigInt(rpos));
  if (offOut) t.mem.writeU64(offOut, BigInt(wpos));
  return modified(dst, accessed(src, n)) as number;
}

export const fsRwSyscalls: SyscallDef[] = [
  // read(2)
  sys(0, 'read', ['fd', 'ptr', 'size'], (t, fd, buf, count) => {
    const f = readableFile(t, fd);
    return accessed(f, readInto(f, bufferViews(t, buf, count, true)));
  }),
  // write(2)
  sys(1, 'write', ['fd', 'ptr', 'size'], (t, fd, buf, count) => {
    const f = writableFile(t, fd);
    return modified(f, transfer(withinFsize(t, f, bufferViews(t, buf, count, false), -1), (b) => f.write(b)));
  }),
  // pread64(2): at an offset, the file position unchanged
  sys(17, 'pread64', ['fd', 'ptr', 'size', 'off'], (t, fd, buf, count, pos) => {
    const f = readableFile(t, fd);
    return accessed(f, transfer(bufferViews(t, buf, count, true), (b, done) => f.pread(b, checkPos(pos) + done)));
  }),
  // pwrite64(2)
  sys(18, 'pwrite64', ['fd', 'ptr', 'size', 'off'], (t, fd, buf, count, pos) => {
    const f = writableFile(t, fd);
    return modified(f, transfer(withinFsize(t, f, bufferViews(t, buf, count, false), checkPos(pos)), (b, done) => f.pwrite(b, pos + done)));
  }),
  // readv(2)
  sys(19, 'readv', ['fd', 'ptr', 'int'], (t, fd, iov, cnt) => readvAt(t, fd, iov, cnt, -1)),
  // writev(2)
  sys(20, 'writev', ['fd', 'ptr', 'int'], (t, fd, iov, cnt) => writevAt(t, fd, iov, cnt, -1)),
  // preadv(2): x86-64 passes the whole offset in pos_l
  sys(295, 'preadv', ['fd', 'ptr', 'int', 'off'], (t, fd, iov, cnt, pos) => readvAt(t, fd, iov, cnt, checkPos(pos))),
  // pwritev(2)
  sys(296, 'pwritev', ['fd', 'ptr', 'int', 'off'], (t, fd, iov, cnt, pos) => writevAt(t, fd, iov, cnt, checkPos(pos))),
  // preadv2(2)
  partial(327, 'preadv2', ['fd', 'ptr', 'int', 'off', 'u64', 'flags'], 'RWF_* flags unsupported (EOPNOTSUPP)',
    (t, fd, iov, cnt, pos, _h, flags) => { noRwf(flags); return readvAt(t, fd, iov, cnt, pos); }),
  // pwritev2(2)
  partial(328, 'pwritev2', ['fd', 'ptr', 'int', 'off', 'u64', 'flags'], 'RWF_* flags unsupported (EOPNOTSUPP)',
    (t, fd, iov, cnt, pos, _h, flags) => { noRwf(flags); return writevAt(t, fd, iov, cnt, pos); }),
  // lseek(2): SEEK_SET/CUR/END; SEEK_DATA/HOLE on regular files (one data extent)
  sys(8, 'lseek', ['fd', 'off', 'int'], (t, fd, off, whence) => realFile(t, fd).seek(off, whence)),
  // sendfile(2)
  sys(40, 'sendfile', ['fd', 'fd', 'ptr', 'size'], sendfile),
  // copy_file_range(2)
  sys(326, 'copy_file_range', ['fd', 'ptr', 'fd', 'ptr', 'size', 'flags'], copyFileRange),
];
