// fork(2)'s copy of an address space (kernel/fork.c copy_mm → dup_mmap): the same VMAs, the same bytes
// and protections, in another engine (a reused one when free: it keeps its translated code where the
// bytes are the same). Pages never touched stay unbacked zeros. MAP_SHARED VMAs show the same shared
// segment in the child (the bytes copied there are replaced by the segment's pages).
import { AddressSpace } from './address-space.js';
import { PROT } from './layout.js';

export function forkAddressSpace(parent: AddressSpace): AddressSpace {
  const child = AddressSpace.create(parent.image);
  for (const b of parent.backing.blocks) {
    child.backing.ensure(b.start, b.end);
    child.engine.copyFrom(parent.engine, b.start, b.end - b.start);
  }
  for (const v of parent.vmas.list) {
    // dup_mmap: MADV_DONTFORK ranges are not in the child, MADV_WIPEONFORK ones are fresh zeros there
    if (v.dontCopy || v.wipeOnFork) child.backing.discard(v.start, v.end);
    if (v.dontCopy) { child.backing.protect(v.start, v.end, PROT.NONE); continue; }
    child.vmas.insert({ ...v });
    if (!v.seg) continue;
    child.engine.mapShared(v.start, v.end - v.start, v.seg.native, v.offset);
    v.seg.attach(child);
  }
  child.startBrk = parent.startBrk;
  child.brkValue = parent.brkValue;
  child.mmapBase = parent.mmapBase;
  child.lockFuture = parent.lockFuture;
  child.args = { ...parent.args };
  child.auxv = parent.auxv;
  return child;
}
