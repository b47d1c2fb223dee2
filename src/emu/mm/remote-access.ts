// Another process's memory as the kernel reaches it (mm/memory.c access_remote_vm): page by page, up to the
// first page that cannot be reached. /proc/PID/cmdline, environ and mem read through it.
import { LinuxError } from '../kernel/errno.js';
import type { AddressSpace } from './address-space.js';
import { PAGE } from './layout.js';

/** Copy `mm`'s bytes at `addr` into `buf`: the count copied before the first unreadable page. */
export function readRemote(mm: AddressSpace, addr: number, buf: Uint8Array): number {
  let done = 0;
  while (done < buf.length) {
    const pos = addr + done;
    const n = Math.min(buf.length - done, PAGE - (pos % PAGE));
    let views: Uint8Array[];
    try {
      views = mm.memory.slices(pos, n, false);
    } catch (e) {
      if (e instanceof LinuxError) return done;
      throw e;
    }
    for (const v of views) { buf.set(v, done); done += v.length; }
  }
  return done;
}

/**
 * Copy `data` into `mm` at `addr` as a debugger's write does (FOLL_FORCE): any mapped page with some access takes it, a
 * read-only one included (a breakpoint into program text); the count written before the first page that cannot.
 */
export function writeRemote(mm: AddressSpace, addr: number, data: Uint8Array): number {
  let done = 0;
  while (done < data.length) {
    const pos = addr + done;
    const n = Math.min(data.length - done, PAGE - (pos % PAGE));
    const v = mm.vmas.find(pos);
    if (!v || v.prot === 0 || (v.shared && !(v.prot & 2))) return done; // a read-only shared page is never written (no COW)
    mm.poke(pos, data.subarray(done, done + n));
    done += n;
  }
  return done;
}
