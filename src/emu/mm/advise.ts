// madvise(2), mincore(2), msync(2) and the "is it mapped" rule they and mlock share (mm/madvise.c,
// mm/mincore.c, mm/msync.c).
import { LinuxError, E } from '../kernel/errno.js';
import type { AddressSpace } from './address-space.js';
import { MADV, MS, TASK_SIZE, alignUp, effectiveProt, isAligned } from './layout.js';

const KNOWN_ADVICE = new Set<number>(Object.values(MADV));

/** ENOMEM unless every page of [start, end) is mapped. */
export function requireMapped(mm: AddressSpace, start: number, end: number): void {
  if (!(end <= TASK_SIZE) || end < start) throw new LinuxError(E.ENOMEM);
  if (!mm.vmas.covers(start, end)) throw new LinuxError(E.ENOMEM);
}

/** The advice that sets or clears a VMA flag (madvise_update_vma): the flag and its new value. */
const FLAG_ADVICE = new Map<number, ['dontCopy' | 'wipeOnFork' | 'dontDump', boolean]>([
  [MADV.DONTFORK, ['dontCopy', true]], [MADV.DOFORK, ['dontCopy', false]],
  [MADV.WIPEONFORK, ['wipeOnFork', true]], [MADV.KEEPONFORK, ['wipeOnFork', false]],
  [MADV.DONTDUMP, ['dontDump', true]], [MADV.DODUMP, ['dontDump', false]],
]);

/**
 * MADV_DONTNEED (and FREE, REMOVE) drop private pages: anonymous memory reads back zero, a private file
 * mapping reads the file again. Shared mappings keep their data (it lives in the shared object).
 * DONTFORK/DOFORK, WIPEONFORK/KEEPONFORK, DONTDUMP/DODUMP set VMA flags (fork.ts honours the first two).
 * Every other advice is a hint we accept. Holes in the range: ENOMEM after the mapped parts are handled.
 */
export function doMadvise(mm: AddressSpace, addr: number, len: number, advice: number): void {
  if (!isAligned(addr) || !KNOWN_ADVICE.has(advice)) throw new LinuxError(E.EINVAL);
  if (advice === MADV.HWPOISON || advice === MADV.SOFT_OFFLINE) throw new LinuxError(E.EPERM);
  const end = addr + alignUp(len);
  if (!(end <= TASK_SIZE)) throw new LinuxError(E.ENOMEM);
  if (len === 0) return;
  const vmas = mm.vmas.overlapping(addr, end);
  const flag = FLAG_ADVICE.get(advice);
  if (flag) {
    for (const v of vmas) {
      if (advice === MADV.WIPEONFORK && (v.file || v.shared)) throw new LinuxError(E.EINVAL); // private anonymous only
      mm.vmas.change(Math.max(v.start, addr), Math.min(v.end, end), (w) => { w[flag[0]] = flag[1]; });
    }
  }
  if (advice === MADV.FREE && vmas.some((v) => v.shared || v.file)) throw new LinuxError(E.EINVAL);
  if (advice === MADV.REMOVE && vmas.some((v) => !v.shared)) throw new LinuxError(E.EINVAL);
  const drops = advice === MADV.DONTNEED || advice === MADV.DONTNEED_LOCKED || advice === MADV.FREE || advice === MADV.REMOVE;
  if (drops) {
    mm.noteHiwater();
    for (const v of vmas) {
      if (v.shared && advice !== MADV.REMOVE) continue;
      const s = Math.max(v.start, addr), e = Math.min(v.end, end);
      if (v.seg) { mm.backing.zero(s, e); continue; } // MADV_REMOVE frees the object's pages: zeros
      mm.backing.discard(s, e);
      if (v.file && !v.shared) mm.fillFromFile(s, e, v.file, v.offset + (s - v.start), effectiveProt(v.prot));
    }
  }
  if (!mm.vmas.covers(addr, end)) throw new LinuxError(E.ENOMEM);
}

/** mincore(2): per page, 1 if its host page is resident. ENOMEM when any page is unmapped. */
export function doMincore(mm: AddressSpace, addr: number, len: number): Uint8Array {
  if (!isAligned(addr)) throw new LinuxError(E.EINVAL);
  const end = addr + alignUp(len);
  requireMapped(mm, addr, end);
  const r = mm.backing.residency(addr, end);
  for (let i = 0; i < r.length; i++) r[i] &= 1;
  return r;
}

/**
 * msync(2): shared pages of host files are written back (MS_ASYNC too: the write is immediate anyway);
 * memfd, tmpfs and anonymous shared pages are the object itself. ENOMEM for holes, after the rest.
 */
export function doMsync(mm: AddressSpace, addr: number, len: number, flags: number): void {
  if (flags & ~(MS.ASYNC | MS.INVALIDATE | MS.SYNC)) throw new LinuxError(E.EINVAL);
  if (!isAligned(addr)) throw new LinuxError(E.EINVAL);
  if ((flags & MS.ASYNC) && (flags & MS.SYNC)) throw new LinuxError(E.EINVAL);
  const end = addr + alignUp(len);
  if (len === 0) return;
  if (flags & (MS.SYNC | MS.ASYNC)) mm.syncRange(addr, end);
  requireMapped(mm, addr, end);
}
