// sendmmsg(2) and recvmmsg(2): several messages in one call (resolvers send their A and AAAA queries so),
// each one a sendmsg/recvmsg of socket-msg.ts; struct mmsghdr is a msghdr (56 bytes) and its msg_len.
import type { Task } from '../kernel/task.js';
import { LinuxError } from '../kernel/errno.js';
import { monotonicNs } from '../kernel/clock.js';
import type { IoResult } from '../fs/file.js';
import { recvmsg, sendmsg } from './socket-msg.js';
import { readTimespec, writeTimespec } from './abi.js';
import { sys, type SyscallDef } from './types.js';

const MMSGHDR = 64, UIO_MAXIOV = 1024, MSG_DONTWAIT = 0x40, MSG_WAITFORONE = 0x10000;

/**
 * Run `one` over the vector until `vlen` messages, an error, or `more(done)` says stop: the count done
 * (msg_len set for each), or the error when none was done (___sys_sendmmsg / do_recvmmsg keep a later
 * error for the next call; here it recurs).
 */
function each(t: Task, vec: number, vlen: number, one: (hdr: number, i: number) => IoResult, more: (done: number) => boolean = () => true): IoResult {
  const n = Math.min(vlen >>> 0, UIO_MAXIOV);
  const step = (i: number): IoResult => {
    for (; i < n; i++) {
      let r: IoResult;
      try { r = one(vec + i * MMSGHDR, i); } catch (e) { if (i > 0 && e instanceof LinuxError) return i; throw e; }
      if (typeof r !== 'number') {
        const at = i;
        return r.then((k) => { t.mem.writeI32(vec + at * MMSGHDR + 56, k); return more(at + 1) ? step(at + 1) : at + 1; },
          (e) => { if (at > 0 && e instanceof LinuxError) return at; throw e; });
      }
      t.mem.writeI32(vec + i * MMSGHDR + 56, r);
      if (!more(i + 1)) return i + 1;
    }
    return n;
  };
  return step(0);
}

/**
 * recvmmsg(2): MSG_WAITFORONE makes every receive after the first non-blocking; the timeout is checked
 * only after each message (recvmmsg(2)'s BUGS: a blocking receive is not cut short) and what is left of
 * it is written back.
 */
function recvmmsg(t: Task, fd: number, vec: number, vlen: number, flags: number, timeout: number): IoResult {
  const end = timeout ? monotonicNs() + readTimespec(t.mem, timeout) : null;
  const more = (): boolean => {
    if (end === null) return true;
    const left = end - monotonicNs();
    writeTimespec(t.mem, timeout, left > 0n ? left : 0n);
    return left > 0n;
  };
  return each(t, vec, vlen, (h, i) => recvmsg(t, fd, h, i > 0 && flags & MSG_WAITFORONE ? flags | MSG_DONTWAIT : flags), more);
}

export const socketMmsgSyscalls: SyscallDef[] = [
  // sendmmsg(2)
  sys(307, 'sendmmsg', ['fd', 'ptr', 'uint', 'flags'], (t, fd, vec, vlen, flags) => each(t, vec, vlen, (h) => sendmsg(t, fd, h, flags))),
  sys(299, 'recvmmsg', ['fd', 'ptr', 'uint', 'flags', 'ptr'], recvmmsg),
];
