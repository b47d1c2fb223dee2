// What /proc/PID/cmdline and environ read: the strings execve left in the process's memory, as they are when
// read(2) runs (fs/proc/base.c get_mm_cmdline, get_mm_proctitle, environ_read), so a process that rewrote
// its argv shows the new text.
import type { AddressSpace } from './address-space.js';
import { PAGE } from './layout.js';
import { readRemote } from './remote-access.js';

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
