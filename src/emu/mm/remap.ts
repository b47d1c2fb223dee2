// mremap(2), after mm/mremap.c: shrink in place, grow in place when the pages after the VMA are free,
// otherwise (MREMAP_MAYMOVE) move: new backing, resident pages copied, old range unmapped. A shared
// mapping keeps showing its segment wherever it goes (nothing is copied), and old_size 0 maps the same
// segment a second time. Partial: growing shared anonymous memory grows the object (Linux leaves the
// new pages past the object's end, where they raise SIGBUS).
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
  if (oldLen === 0) return duplicate(mm, addr, newLen, flags, newAddr);

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
    mm.backing.ensureWithRoom(oldEnd, newEnd, false);
    mm.mapFixed(oldEnd, newEnd - oldEnd, attrsOf(vma, oldEnd));
    return addr;
  }
  if (!mayMove) throw new LinuxError(E.ENOMEM);
  return move(mm, vma, addr, oldLen, mm.findArea(0, newLen), newLen, false);
}

/** old_size 0: a second mapping of the shared pages at addr (EINVAL unless shared; it must move). */
function duplicate(mm: AddressSpace, addr: number, newLen: number, flags: number, newAddr: number): number {
  const v = mm.vmas.find(addr);
  if (!v) throw new LinuxError(E.EFAULT);
  if (!v.seg || (flags & MREMAP.DONTUNMAP)) throw new LinuxError(E.EINVAL);
  if (!(flags & MREMAP.MAYMOVE)) throw new LinuxError(E.ENOMEM);
  let to: number;
  if (flags & MREMAP.FIXED) {
    if (!isAligned(newAddr) || newAddr + newLen > TASK_SIZE) throw new LinuxError(E.EINVAL);
    to = newAddr;
  } else {
    to = mm.findArea(0, newLen);
  }
  mm.mapFixed(to, newLen, attrsOf(v, addr));
  return to;
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
    file: v.file, offset: v.file || v.seg ? v.offset + (at - v.start) : 0, seg: v.seg,
  };
}

/** Move [addr, addr+oldLen) to [to, to+newLen): resident pages are copied, the rest stays unbacked-zero. */
function move(mm: AddressSpace, vma: Vma, addr: number, oldLen: number, to: number, newLen: number, dontUnmap: boolean): number {
  const attrs = attrsOf(vma, addr);
  // Map the destination without reading the file for the moved part, then copy what the old pages hold.
  mm.backing.ensureWithRoom(to, to + newLen, true);
  mm.mapFixed(to, oldLen, { ...attrs, fill: false });
  const resident = vma.seg ? new Uint8Array(0) : mm.backing.residency(addr, addr + oldLen);
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
    // The pages moved: the old range reads as fresh memory, or (shared) the object's pages again.
    mm.noteHiwater();
    if (!vma.seg) mm.backing.discard(addr, addr + oldLen);
  } else {
    mm.unmapRange(addr, addr + oldLen);
  }
  mm.reprotect(to, to + newLen);
  mm.gen++;
  return to;
}
