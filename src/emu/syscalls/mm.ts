// Memory-management syscalls: thin handlers over the task's AddressSpace (src/emu/mm), which holds the
// logic and cites mm/mmap.c, mm/mprotect.c, mm/mremap.c, mm/madvise.c.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import type { MappedFile } from '../mm/vma.js';
import { MAP, MCL } from '../mm/layout.js';
import { partial, sys, type SyscallDef } from './types.js';

const MLOCK_ONFAULT = 1;

/** The mapping source behind fd for a file-backed mmap: EBADF, ENODEV (not mappable), and its O_ACCMODE. */
function mappedFile(t: Task, fd: number): { file: MappedFile; accMode: number } {
  const f = t.files.get(fd);
  if (f.isPath) throw err(E.EBADF);
  const m = f.mappable();
  if (!m) throw err(E.ENODEV);
  const path = f.dentry?.path;
  const { dev, ino } = f.stat();
  // the size now (a page past EOF faults), or the last one known once the file is closed (a private
  // mapping does not hold its file open here)
  let known = m.size;
  const file: MappedFile = {
    get size() { try { known = m.size; } catch { /* closed */ } return known; }, readAt: (b, p) => m.readAt(b, p), path, dev, ino, zero: m.zero,
    shared: m.shared?.bind(m), sync: m.sync?.bind(m),
  };
  return { file, accMode: f.flags & 3 };
}

export const mmSyscalls: SyscallDef[] = [
  // mmap(2)
  partial(9, 'mmap', ['ptr', 'size', 'flags', 'flags', 'fd', 'off'],
    'MAP_SHARED is one memory across processes for anonymous memory, /dev/zero, memfd, tmpfs (/dev/shm) and host '
    + 'files (hostfs, DrvFs, VolFs: a shared page cache, written back at msync/munmap/exit; changes made to the host '
    + 'file from outside meanwhile are unseen); other files map as private copies; private file mappings are '
    + 'copies taken at mmap time (a page past EOF is SIGBUS, read in once the file grows; a file shrunk after mmap '
    + 'keeps its pages; a private mapping whose fd was closed sees no growth); code written into shared memory by '
    + 'another process is not retranslated',
    (t, addr, len, prot, flags, fd, off) => {
      if (flags & MAP.ANONYMOUS) return t.process.mm.mmap(addr, len, prot, flags, null, 0);
      const { file, accMode } = mappedFile(t, fd);
      return t.process.mm.mmap(addr, len, prot, flags, file, off, accMode);
    }),
  // mprotect(2)
  sys(10, 'mprotect', ['ptr', 'size', 'flags'], (t, addr, len, prot) => { t.process.mm.mprotect(addr, len, prot); return 0; }),
  // pkeys(7): the CPU has no protection keys (no PKU, as this host's): pkey -1 is plain mprotect, no key can be allocated
  sys(329, 'pkey_mprotect', ['ptr', 'size', 'flags', 'int'], (t, addr, len, prot, pkey) => { t.process.mm.mprotect(addr, len, prot, pkey); return 0; }),
  sys(330, 'pkey_alloc', ['flags', 'flags'], () => { throw err(E.EINVAL); }),
  sys(331, 'pkey_free', ['int'], () => { throw err(E.EINVAL); }),
  // munmap(2)
  sys(11, 'munmap', ['ptr', 'size'], (t, addr, len) => { t.process.mm.munmap(addr, len); return 0; }),
  // brk(2): the raw syscall returns the (possibly unchanged) break, never an error
  sys(12, 'brk', ['ptr'], (t, addr) => t.process.mm.brk(addr)),
  // mremap(2)
  partial(25, 'mremap', ['ptr', 'size', 'size', 'flags', 'ptr'], 'growing shared anonymous memory grows the object (Linux: SIGBUS past its end)',
    (t, addr, oldLen, newLen, flags, newAddr) => t.process.mm.mremap(addr, oldLen, newLen, flags, newAddr)),
  // msync(2)
  partial(26, 'msync', ['ptr', 'size', 'flags'], 'MS_SYNC and MS_ASYNC write shared host-file pages back at once; MS_INVALIDATE does nothing',
    (t, addr, len, flags) => { t.process.mm.msync(addr, len, flags); return 0; }),
  // mincore(2)
  sys(27, 'mincore', ['ptr', 'size', 'ptr'], (t, addr, len, vec) => {
    const r = t.process.mm.mincore(addr, len);
    t.mem.write(vec, r);
    return 0;
  }),
  // madvise(2)
  sys(28, 'madvise', ['ptr', 'size', 'int'], (t, addr, len, advice) => { t.process.mm.madvise(addr, len, advice); return 0; }),
  // mlock(2), munlock(2): memory is never swapped, so only the range check remains
  sys(149, 'mlock', ['ptr', 'size'], (t, addr, len) => { t.process.mm.mlock(addr, len); return 0; }),
  sys(150, 'munlock', ['ptr', 'size'], (t, addr, len) => { t.process.mm.mlock(addr, len); return 0; }),
  // mlockall(2)
  sys(151, 'mlockall', ['flags'], (t, flags) => {
    if (!flags || (flags & ~(MCL.CURRENT | MCL.FUTURE | MCL.ONFAULT)) || flags === MCL.ONFAULT) throw err(E.EINVAL);
    t.process.mm.lockFuture = (flags & MCL.FUTURE) !== 0;
    return 0;
  }),
  // munlockall(2)
  sys(152, 'munlockall', [], (t) => { t.process.mm.lockFuture = false; return 0; }),
  // mlock2(2)
  sys(325, 'mlock2', ['ptr', 'size', 'flags'], (t, addr, len, flags) => {
    if (flags & ~MLOCK_ONFAULT) throw err(E.EINVAL);
    t.process.mm.mlock(addr, len);
    return 0;
  }),
];
