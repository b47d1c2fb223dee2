// fork(2)'s copy of an address space into a new engine (kernel/fork.c copy_mm → dup_mmap): the same VMAs,
// the same bytes. Only pages resident in host memory are copied; never-touched pages stay unbacked zeros.
// MAP_SHARED anonymous memory is copied too (partial: shared memory between processes needs one host
// block mapped into both engines).
import type { Engine } from '../cpu/engine.js';
import { AddressSpace } from './address-space.js';
import { PAGE, effectiveProt } from './layout.js';

export function forkAddressSpace(parent: AddressSpace, engine: Engine): AddressSpace {
  const child = new AddressSpace(engine);
  for (const b of parent.backing.blocks) {
    child.backing.ensure(b.start, b.end);
    const resident = parent.engine.residency(b.start, b.end - b.start);
    const dst = child.backing.views(b.start, b.end);
    let off = 0;
    for (const view of dst) {
      copyResident(b.u8.subarray(off, off + view.length), view, resident.subarray(off / PAGE));
      off += view.length;
    }
  }
  for (const v of parent.vmas.list) {
    child.vmas.insert({ ...v });
    child.backing.protect(v.start, v.end, effectiveProt(v.prot));
  }
  child.startBrk = parent.startBrk;
  child.brkValue = parent.brkValue;
  child.mmapBase = parent.mmapBase;
  child.lockFuture = parent.lockFuture;
  return child;
}

/** Copy runs of resident pages from src to dst (same length). */
function copyResident(src: Uint8Array, dst: Uint8Array, resident: Uint8Array): void {
  const pages = src.length / PAGE;
  for (let p = 0; p < pages;) {
    if (!resident[p]) { p++; continue; }
    let q = p;
    while (q < pages && resident[q]) q++;
    dst.set(src.subarray(p * PAGE, q * PAGE), p * PAGE);
    p = q;
  }
}
