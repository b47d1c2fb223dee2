// Robust futexes (set_robust_list(2)): the list of mutexes a thread holds, walked when it exits or execs
// (kernel/futex/core.c exit_robust_list): each futex word still naming the thread gets FUTEX_OWNER_DIED, and
// one waiter is woken, so the next pthread_mutex_lock returns EOWNERDEAD instead of waiting forever.
import { futexKey, futexWake } from './futex.js';
import type { KTask } from './thread.js';

const FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
/** At most this many entries are walked (a circular list must not hang the kernel). */
const ROBUST_LIST_LIMIT = 2048;
/** struct robust_list_head: list.next, futex_offset, list_op_pending. */
export const ROBUST_HEAD_SIZE = 24;

/** An entry pointer without its low bit (set for PI futexes). */
const entryAddr = (p: number): number => p - (p % 2);

/** handle_futex_death: the owner `tid` is gone. `pending`: the lock/unlock in progress at its death. */
function futexDeath(t: KTask, uaddr: number, pi: boolean, pending: boolean): void {
  if (uaddr % 4 !== 0) return;
  const uval = t.mem.readU32(uaddr);
  // a lock taken but not yet recorded in the word: a waiter may have missed its wake-up
  if (pending && !pi && uval === 0) { futexWake(futexKey(t.process.mm, uaddr, true), 1, 0xffffffff); return; }
  if ((uval & FUTEX_TID_MASK) !== t.tid) return;
  const mval = ((uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0;
  t.mem.writeU32(uaddr, mval);
  if (!pi && mval & FUTEX_WAITERS) futexWake(futexKey(t.process.mm, uaddr, true), 1, 0xffffffff);
}

/** exit_robust_list: run at thread exit and at execve, while the thread's memory is still there. */
export function exitRobustList(t: KTask): void {
  const head = t.robustList;
  t.robustList = 0;
  if (!head) return;
  try {
    const offset = Number(BigInt.asIntN(64, t.mem.readBig(head + 8)));
    const pendingRaw = t.mem.readU64(head + 16);
    const pending = entryAddr(pendingRaw);
    let raw = t.mem.readU64(head);
    for (let n = 0; entryAddr(raw) !== head && n < ROBUST_LIST_LIMIT; n++) {
      const entry = entryAddr(raw);
      const next = t.mem.readU64(entry);
      if (entry !== pending) futexDeath(t, entry + offset, raw % 2 === 1, false);
      raw = next;
    }
    if (pending) futexDeath(t, pending + offset, pendingRaw % 2 === 1, true);
  } catch { /* a fault in the list ends the walk, as a failed get_user does */ }
}
