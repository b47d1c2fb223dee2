// What /proc/PID/cmdline and environ read: the strings execve left in the process's memory, as they are when
// read(2) runs (fs/proc/base.c get_mm_cmdline, get_mm_proctitle, environ_read), so a process that rewrote
// its argv shows the new text.
import { LinuxError } from '../kernel/errno.js';
import type { AddressSpace } from './address-space.js';
import { PAGE } from './layout.js';

/** Copy `mm`'s bytes at `addr` into `buf` page by page up to the first one it cannot read (access_remote_vm). */
function readRemote(mm: AddressSpace, addr: number, buf: Uint8Array): number {
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
 * cmdline: the bytes of [arg_start, arg_end). When the last of them is not NUL the process overwrote it
 * (setproctitle), and the text runs on into the environment up to the first NUL, within one page.
 */
export function readCmdline(mm: AddressSpace, buf: Uint8Array, pos: number): number {
  const { argStart, argEnd, envEnd } = mm.args;
  if (argStart >= argEnd || pos >= envEnd - argStart) return 0;
  const want = buf.subarray(0, envEnd - argStart - pos);
  const last = new Uint8Array(1);
  if (readRemote(mm, argEnd - 1, last) === 1 && last[0] !== 0) {
    const page = new Uint8Array(PAGE);
    const got = readRemote(mm, argStart, page);
    const nul = page.subarray(0, got).indexOf(0);
    const title = nul < 0 ? got : nul + 1;
    if (pos >= title) return 0;
    const part = page.subarray(pos, Math.min(title, pos + want.length));
    want.set(part);
    return part.length;
  }
  if (pos >= argEnd - argStart) return 0;
  return readRemote(mm, argStart + pos, want.subarray(0, argEnd - argStart - pos));
}

/** environ: the bytes of [env_start, env_end), none once the process has left this memory. */
export function readEnviron(mm: AddressSpace, buf: Uint8Array, pos: number): number {
  const { envStart, envEnd } = mm.args;
  if (mm.isClosed || pos >= envEnd - envStart) return 0;
  return readRemote(mm, envStart + pos, buf.subarray(0, envEnd - envStart - pos));
}
