// mremap(2), after mm/mremap.c: shrink in place, grow in place when the pages after the VMA are free,
// otherwise (MREMAP_MAYMOVE) move: new backing, resident pages copied, old range unmapped.
import { LinuxError, E } from '../kernel/errno.js';
import type { AddressSpace } from './address-space.js';
import { MREMAP, PAGE, TASK_SIZE, alignUp, effectiveProt, isAligned } from './layout.js';
import type { Vma } from './vma.js';

export function doMremap(mm: AddressSpace, addr: number, oldLen: number, newLen: number, flags: number, newAddr: number): number {
  if (flags & ~(MREMAP.MAYMOVE | MREMAP.FIXED | MREMAP.DONTUNMAP)) throw new LinuxError(E.EINVAL);
  const mayMove = (flags & MREMAP.MAYMOVE) !== 0;
  const fixed = (flags & MREMAP.FIXED) !== 0;
  const dontUnmap = (flags & MREMAP.DONTUNMAP) !== 0;
  if (fixed && !mayMove) throw new LinuxError(E.EINVAL);
  if (dontUnmap && (!mayMove || oldLen !== newLen)) throw new LinuxError(E.EINVAL);
  if (!isAligned(addr)) throw new LinuxError(E.EINVAL);
  oldLen = alignUp(oldLen);
  newLen = alignUp(newLen);
  if (newLen === 0 || newLen > TASK_SIZE) throw new LinuxError(E.EINVAL);
  // old_len 0 duplicates a shared mapping in Linux; we cannot share backing yet (partial).
  if (oldLen === 0) throw new LinuxError(E.EINVAL);

  if (fixed) {
    if (!isAligned(newAddr) || newAddr + newLen > TASK_SIZE) throw new LinuxError(E.EINVAL);
    if (newAddr < addr + oldLen && addr < newAddr + newLen) throw new LinuxError(E.EINVAL);
    mm.munmap(newAddr, newLen);
    if (oldLen > newLen) { mm.munmap(addr + newLen, oldLen - newLen); oldLen = newLen; }
    const vma = resizable(mm, addr, oldLen);
    return move(mm, vma, addr, oldLen, newAddr, newLen, dontUnmap);
  }
  if (dontUnmap) {
    const vma = resizable(mm, addr, oldLen);
    return move(mm, vma, addr, oldLen, mm.findArea(0, newLen), newLen, true);
  }
  if (newLen <= oldLen) {
    if (newLen < oldLen) mm.munmap(addr + newLen, oldLen - newLen);
    return addr;
  }
  const vma = resizable(mm, addr, oldLen);
  const oldEnd = addr + oldLen, newEnd = addr + newLen;
  if (oldEnd === vma.end && newEnd <= TASK_SIZE && mm.vmas.isFree(oldEnd, newEnd)) {
    mm.mapFixed(oldEnd, newEnd - oldEnd, attrsOf(vma, oldEnd));
    return addr;
  }
  if (!mayMove) throw new LinuxError(E.ENOMEM);
  return move(mm, vma, addr, oldLen, mm.findArea(0, newLen), newLen, false);
}

/** vma_to_resize(): [addr, addr+len) must lie inside one VMA. */
function resizable(mm: AddressSpace, addr: number, len: number): Vma {
  const v = mm.vmas.find(addr);
  if (!v || addr + len > v.end) throw new LinuxError(E.EFAULT);
  return v;
}

/** The attributes of `v` for a piece starting at `at` (file offsets follow the address). */
function attrsOf(v: Vma, at: number) {
  return {
    prot: v.prot, shared: v.shared, growsDown: v.growsDown, mayWrite: v.mayWrite,
    kind: v.kind === 'heap' ? 'anon' as const : v.kind, name: v.kind === 'heap' ? '' : v.name,
    file: v.file, offset: v.file ? v.offset + (at - v.start) : 0,
  };
}

/** Move [addr, addr+oldLen) to [to, to+newLen): resident pages are copied, the rest stays unbacked-zero. */
function move(mm: AddressSpace, vma: Vma, addr: number, oldLen: number, to: number, newLen: number, dontUnmap: boolean): number {
  const attrs = attrsOf(vma, addr);
  // Map the destination without reading the file for the moved part, then copy what the old pages hold.
  mm.mapFixed(to, oldLen, { ...attrs, fill: false });
  const resident = mm.backing.residency(addr, addr + oldLen);
  for (let p = 0; p < resident.length;) {
    if (!(resident[p] & 1)) { p++; continue; }
    let q = p;
    while (q < resident.length && (resident[q] & 1)) q++;
    let dst = to + p * PAGE;
    for (const view of mm.backing.views(addr + p * PAGE, addr + q * PAGE)) { mm.backing.poke(dst, view); dst += view.length; }
    p = q;
  }
  if (newLen > oldLen) mm.mapFixed(to + oldLen, newLen - oldLen, attrsOf(vma, addr + oldLen));
  if (dontUnmap) {
    mm.backing.discard(addr, addr + oldLen); // the pages moved: the old range reads as fresh memory
  } else {
    mm.unmapRange(addr, addr + oldLen);
  }
  mm.backing.protect(to, to + newLen, effectiveProt(vma.prot));
  mm.gen++;
  return to;
}
