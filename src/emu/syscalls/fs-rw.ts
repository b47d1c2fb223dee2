// Reading and writing: read, write, pread64, pwrite64, readv, writev, preadv(2), pwritev(2), lseek,
// sendfile, copy_file_range (fs/read_write.c).
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import type { IoResult, OpenFile } from '../fs/file.js';
import { O, isDir, isReg } from '../fs/constants.js';
import { pump, readInto, transfer } from '../fs/io.js';
import { PipeEnd } from '../fs/pipe.js';
import { partial, sys, type SyscallDef } from './types.js';
import { bufferViews, iovecViews, readOff, readableFile, realFile, withinFsize, writableFile } from './fs-util.js';
import { IN } from '../fs/notify/fsnotify.js';
import { afterIo } from '../fs/notify/vfs-events.js';

/**
 * Reads report IN_ACCESS and writes IN_MODIFY when bytes moved (vfs_read/vfs_write), and count in the task's
 * I/O accounting (rchar/syscr, wchar/syscw: /proc/<pid>/io).
 */
const accessed = (t: Task, f: OpenFile, call: () => IoResult): IoResult => afterIo(f, IN.ACCESS, t.ioac.count(false, call));
const modified = (t: Task, f: OpenFile, call: () => IoResult): IoResult => afterIo(f, IN.MODIFY, t.ioac.count(true, call));

const checkPos = (pos: number): number => { if (pos < 0) throw err(E.EINVAL); return pos; };

const RWF = { HIPRI: 1, DSYNC: 2, SYNC: 4, NOWAIT: 8, APPEND: 0x10 } as const;

/** preadv2/pwritev2's RWF_* flags we take: HIPRI (no polling here), DSYNC/SYNC, APPEND, and NOWAIT for reads of
 *  regular files (which never wait here; buffered writes refuse it as ext4 and tmpfs do); others EOPNOTSUPP, as a
 *  file that cannot do them answers (kiocb_set_rw_flags). */
function rwFlags(f: OpenFile, flags: number, write: boolean): void {
  if (flags & ~(RWF.HIPRI | RWF.DSYNC | RWF.SYNC | RWF.NOWAIT | RWF.APPEND)) throw err(E.EOPNOTSUPP);
  if ((flags & RWF.NOWAIT) && (write || !isReg(f.stat().mode))) throw err(E.EOPNOTSUPP);
}

/** preadv2/pwritev2: offset -1 means the file position. */
const readvAt = (t: Task, fd: number, iov: number, cnt: number, pos: number, flags = 0) => {
  const f = readableFile(t, fd);
  rwFlags(f, flags, false);
  const bufs = iovecViews(t, iov, cnt, true);
  return accessed(t, f, () => (pos === -1 ? readInto(f, bufs) : transfer(bufs, (b, done) => f.pread(b, checkPos(pos) + done))));
};
/** RWF_APPEND writes at the end as O_APPEND does (the file position moves only for offset -1); RWF_(D)SYNC syncs after. */
const writevAt = (t: Task, fd: number, iov: number, cnt: number, pos: number, flags = 0) => {
  const f = writableFile(t, fd);
  rwFlags(f, flags, true);
  const append = (flags & RWF.APPEND) !== 0 && !(f.flags & O.APPEND);
  const at = append ? f.stat().size : pos;
  const bufs = withinFsize(t, f, iovecViews(t, iov, cnt, false), at);
  const after = (n: number): number => {
    if (append && pos === -1) f.pos = at + n;
    if (flags & (RWF.DSYNC | RWF.SYNC)) f.sync();
    return n;
  };
  return modified(t, f, () => {
    const r = at === -1 ? transfer(bufs, (b) => f.write(b)) : transfer(bufs, (b, done) => f.pwrite(b, checkPos(at) + done));
    return typeof r === 'number' ? after(r) : r.then(after);
  });
};

/** sendfile(2): from in_fd (at *offset when given, leaving its position alone) to out_fd. */
function sendfile(t: Task, outFd: number, inFd: number, offp: number, count: number) {
  const src = readableFile(t, inFd), dst = writableFile(t, outFd);
  if (dst.flags & O.APPEND || src instanceof PipeEnd) throw err(E.EINVAL); // do_sendfile: not from a pipe (splice is)
  // one call counted as a read and a write (do_sendfile: add_rchar, add_wchar, inc_syscr, inc_syscw)
  const both = (call: () => IoResult): IoResult => modified(t, dst, () => accessed(t, src, call));
  if (offp === 0) return both(() => pump((b) => src.read(b), (b) => dst.write(b), count));
  let pos = checkPos(readOff(t, offp));
  const store = (n: number): number => { t.mem.writeU64(offp, BigInt(pos)); return n; };
  return both(() => {
    const r = pump((b) => { const n = src.pread(b, pos); pos += n; return n; }, (b) => dst.write(b), count);
    return typeof r === 'number' ? store(r) : r.then(store);
  });
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
  let rpos = offIn ? readOff(t, offIn) : src.pos;
  let wpos = offOut ? readOff(t, offOut) : dst.pos;
  if (rpos < 0 || wpos < 0) throw err(E.EOVERFLOW); // generic_copy_file_checks: pos + len wraps
  // within one file, overlapping ranges (the copy cut at the end of the file first) are EINVAL (generic_copy_file_checks)
  const si = src.stat(), so = dst.stat(), count = Math.max(0, Math.min(len, si.size - rpos));
  if (si.ino === so.ino && si.dev === so.dev && rpos < wpos + count && wpos < rpos + count) throw err(E.EINVAL);
  const copy = (): number => {
    const n = pump(offIn ? (b) => { const k = src.pread(b, rpos); rpos += k; return k; } : (b) => src.read(b),
      offOut ? (b) => { const k = dst.pwrite(b, wpos); wpos += k; return k; } : (b) => dst.write(b), len) as number;
    if (offIn) t.mem.writeU64(offIn, BigInt(rpos));
    if (offOut) t.mem.writeU64(offOut, BigInt(wpos));
    return n;
  };
  return modified(t, dst, () => accessed(t, src, copy)) as number;
}

export const fsRwSyscalls: SyscallDef[] = [
  // read(2)
  sys(0, 'read', ['fd', 'ptr', 'size'], (t, fd, buf, count) => {
    const f = readableFile(t, fd);
    const bufs = bufferViews(t, buf, count, true);
    return accessed(t, f, () => readInto(f, bufs));
  }),
  // write(2)
  sys(1, 'write', ['fd', 'ptr', 'size'], (t, fd, buf, count) => {
    const f = writableFile(t, fd);
    const bufs = withinFsize(t, f, bufferViews(t, buf, count, false), -1);
    return modified(t, f, () => transfer(bufs, (b) => f.write(b)));
  }),
  // pread64(2): at an offset, the file position unchanged
  sys(17, 'pread64', ['fd', 'ptr', 'size', 'off'], (t, fd, buf, count, pos) => {
    const f = readableFile(t, fd);
    const bufs = bufferViews(t, buf, count, true), at = checkPos(pos);
    return accessed(t, f, () => transfer(bufs, (b, done) => f.pread(b, at + done)));
  }),
  // pwrite64(2)
  sys(18, 'pwrite64', ['fd', 'ptr', 'size', 'off'], (t, fd, buf, count, pos) => {
    const f = writableFile(t, fd);
    const bufs = withinFsize(t, f, bufferViews(t, buf, count, false), checkPos(pos));
    return modified(t, f, () => transfer(bufs, (b, done) => f.pwrite(b, pos + done)));
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
  partial(327, 'preadv2', ['fd', 'ptr', 'int', 'off', 'u64', 'flags'], 'RWF_NOWAIT only for reads of regular files; RWF_NOAPPEND, ATOMIC, DONTCACHE: EOPNOTSUPP',
    (t, fd, iov, cnt, pos, _h, flags) => readvAt(t, fd, iov, cnt, pos, flags)),
  // pwritev2(2)
  partial(328, 'pwritev2', ['fd', 'ptr', 'int', 'off', 'u64', 'flags'], 'RWF_NOWAIT only for reads of regular files; RWF_NOAPPEND, ATOMIC, DONTCACHE: EOPNOTSUPP',
    (t, fd, iov, cnt, pos, _h, flags) => writevAt(t, fd, iov, cnt, pos, flags)),
  // lseek(2): SEEK_SET/CUR/END; SEEK_DATA/HOLE on regular files (one data extent)
  sys(8, 'lseek', ['fd', 'off', 'int'], (t, fd, off, whence) => realFile(t, fd).seek(off, whence)),
  // sendfile(2)
  sys(40, 'sendfile', ['fd', 'fd', 'ptr', 'size'], sendfile),
  // copy_file_range(2)
  sys(326, 'copy_file_range', ['fd', 'ptr', 'fd', 'ptr', 'size', 'flags'], copyFileRange),
];
