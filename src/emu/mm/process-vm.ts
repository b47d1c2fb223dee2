// Copying between two address spaces (mm/process_vm_access.c): the remote side page by page, stopping at
// the first page it cannot reach; the local side as copy_{to,from}_user. What was copied before a fault is
// the result; a fault before any byte is EFAULT.
import { E, LinuxError } from '../kernel/errno.js';
import type { GuestMemory, IoVec } from './guest-memory.js';
import { PAGE } from './layout.js';

/** Copy between `local`'s iovecs and `remote`'s: into local (readv) or, with `toRemote`, into remote (writev). */
export function copyProcessVm(local: GuestMemory, liov: IoVec[], remote: GuestMemory, riov: IoVec[], toRemote: boolean): number {
  let li = 0, loff = 0, total = 0;
  const localSpace = (): number => liov.slice(li).reduce((n, v, i) => n + v.len - (i === 0 ? loff : 0), 0);
  try {
    for (const r of riov) {
      for (let pos = r.base, end = r.base + r.len; pos < end && li < liov.length;) {
        const n = Math.min(end, (Math.floor(pos / PAGE) + 1) * PAGE) - pos;
        const page = remote.slices(pos, n, toRemote); // the remote page must be there (pin_user_pages_remote)
        const bytes = Math.min(n, localSpace());
        let done = 0;
        for (const view of page) {
          for (let vo = 0; vo < view.length && done < bytes;) {
            while (liov[li]!.len - loff === 0) { li++; loff = 0; }
            const l = liov[li]!;
            const m = Math.min(view.length - vo, l.len - loff, bytes - done);
            if (toRemote) view.set(local.read(l.base + loff, m), vo);
            else local.write(l.base + loff, view.subarray(vo, vo + m));
            vo += m; loff += m; done += m; total += m;
          }
        }
        pos += n;
        if (done < n) return total; // the local buffers are full
      }
    }
  } catch (e) {
    if (!(e instanceof LinuxError) || e.errno !== E.EFAULT || total === 0) throw e;
  }
  return total;
}
