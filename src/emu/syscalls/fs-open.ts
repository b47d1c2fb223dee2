// Opening and closing: open, openat, openat2, creat, close, close_range (fs/open.c).
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { AT_FDCWD, O } from '../fs/constants.js';
import { checkOpenHow, openAt } from '../fs/open.js';
import { PAGE } from '../mm/layout.js';
import { readExtensible } from './abi.js';
import { sys, type SyscallDef } from './types.js';
import { pathArg } from './fs-util.js';

const CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4, OPEN_HOW_SIZE_VER0 = 24;

/** openat(2): the lowest free fd is reserved first (EMFILE), then the file is opened; a FIFO open may wait. */
function openat(t: Task, dirfd: number, p: number, flags: number, mode: number, resolve = 0): number | Promise<number> {
  const path = pathArg(t, p);
  const fd = t.files.install(() => openAt(t, dirfd, path, flags, mode, resolve), (flags & O.CLOEXEC) !== 0);
  const wait = t.files.get(fd).openWait();
  if (wait === null || typeof wait === 'number') return fd;
  return wait.then(() => fd, (e: unknown) => { t.files.close(fd); throw e; });
}

/** openat2(2): struct open_how (flags, mode, resolve as u64s) of any size up to a page. */
function openat2(t: Task, dirfd: number, p: number, how: number, size: number): number | Promise<number> {
  if (size < OPEN_HOW_SIZE_VER0) throw err(E.EINVAL);
  if (size > PAGE) throw err(E.E2BIG);
  const dv = readExtensible(t.mem, how, size, OPEN_HOW_SIZE_VER0);
  const flags = dv.getBigUint64(0, true), mode = dv.getBigUint64(8, true), resolve = dv.getBigUint64(16, true);
  checkOpenHow(flags, mode, resolve);
  return openat(t, dirfd, p, Number(flags), Number(mode), Number(resolve));
}

export const fsOpenSyscalls: SyscallDef[] = [
  sys(437, 'openat2', ['fd', 'path', 'ptr', 'size'], openat2),
  // open(2)
  sys(2, 'open', ['path', 'flags', 'mode'], (t, p, flags, mode) => openat(t, AT_FDCWD, p, flags, mode)),
  // openat(2)
  sys(257, 'openat', ['fd', 'path', 'flags', 'mode'], openat),
  // creat(2): open(O_CREAT|O_WRONLY|O_TRUNC)
  sys(85, 'creat', ['path', 'mode'], (t, p, mode) => openat(t, AT_FDCWD, p, O.CREAT | O.WRONLY | O.TRUNC, mode)),
  // close(2)
  sys(3, 'close', ['fd'], (t, fd) => { t.files.close(fd); return 0; }),
  // close_range(2): CLOSE_RANGE_CLOEXEC marks instead of closing; UNSHARE is implicit (tables are per process)
  sys(436, 'close_range', ['uint', 'uint', 'flags'], (t, first, last, flags) => {
    if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last) throw err(E.EINVAL);
    t.files.closeRange(first, last, (flags & CLOSE_RANGE_CLOEXEC) !== 0);
    return 0;
  }),
];
