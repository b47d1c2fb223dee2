// futex(2): WAIT/WAKE with bitsets, REQUEUE/CMP_REQUEUE and WAKE_OP on the kernel's wait queues
// (kernel/futex.ts); without FUTEX_PRIVATE_FLAG a futex in shared memory is one across processes.
// Priority-inheritance futexes are not provided.
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { monotonicNs, realtimeNs } from '../kernel/clock.js';
import { futexKey, futexRequeue, futexWait, futexWake } from '../kernel/futex.js';
import { partial, type SyscallDef } from './types.js';
import { readTimespec } from './abi.js';

const FUTEX = { WAIT: 0, WAKE: 1, REQUEUE: 3, CMP_REQUEUE: 4, WAKE_OP: 5, WAIT_BITSET: 9, WAKE_BITSET: 10 } as const;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
const ALL = 0xffffffff;

/** The futex key of uaddr for this op (shared unless FUTEX_PRIVATE_FLAG). */
const key = (t: Task, uaddr: number, op: number) => futexKey(t.process.mm, uaddr, (op & FUTEX_PRIVATE_FLAG) === 0);

function wait(t: Task, uaddr: number, op: number, val: number, timeout: number, bitset: number): Promise<number> | number {
  if (bitset === 0) throw err(E.EINVAL);
  if (t.mem.readU32(uaddr) !== val) throw err(E.EAGAIN);
  let ms: number | undefined;
  if (timeout) {
    const ts = readTimespec(t.mem, timeout);
    // FUTEX_WAIT takes a relative timeout; the BITSET form an absolute one on the chosen clock
    const now = op & FUTEX_CLOCK_REALTIME ? realtimeNs : monotonicNs;
    ms = Math.max(0, Number((op & 0x7f) === FUTEX.WAIT ? ts : ts - now()) / 1e6);
  }
  return futexWait(key(t, uaddr, op), bitset, ms);
}

/** FUTEX_WAKE_OP: *uaddr2 = op(*uaddr2, oparg); wake on uaddr, and on uaddr2 if cmp(old, cmparg). */
function wakeOp(t: Task, uaddr: number, flags: number, n: number, n2: number, uaddr2: number, encoded: number): number {
  const op = (encoded >>> 28) & 7, shift = (encoded >>> 28) & 8, cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20, cmparg = (encoded << 20) >> 20;
  if (shift) oparg = 1 << (oparg & 31);
  const old = t.mem.readU32(uaddr2) | 0;
  const next = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg][op];
  if (next === undefined) throw err(E.ENOSYS);
  t.mem.writeU32(uaddr2, next >>> 0);
  let woken = futexWake(key(t, uaddr, flags), n, ALL);
  const hit = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg][cmp];
  if (hit === undefined) throw err(E.ENOSYS);
  if (hit) woken += futexWake(key(t, uaddr2, flags), n2, ALL);
  return woken;
}

export const futexSyscalls: SyscallDef[] = [
  partial(202, 'futex', ['ptr', 'int', 'uint', 'ptr', 'ptr', 'uint'], 'no priority-inheritance (LOCK_PI) operations',
    (t, uaddr, op, val, timeout, uaddr2, val3) => {
      const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
      if (uaddr % 4) throw err(E.EINVAL);
      switch (cmd) {
        case FUTEX.WAIT: return wait(t, uaddr, op, val, timeout, ALL);
        case FUTEX.WAIT_BITSET: return wait(t, uaddr, op, val, timeout, val3);
        case FUTEX.WAKE: return futexWake(key(t, uaddr, op), val, ALL);
        case FUTEX.WAKE_BITSET: if (!val3) throw err(E.EINVAL); return futexWake(key(t, uaddr, op), val, val3);
        case FUTEX.REQUEUE: return futexRequeue(key(t, uaddr, op), key(t, uaddr2, op), val, timeout);
        case FUTEX.CMP_REQUEUE:
          if (t.mem.readU32(uaddr) !== val3) throw err(E.EAGAIN);
          return futexRequeue(key(t, uaddr, op), key(t, uaddr2, op), val, timeout);
        case FUTEX.WAKE_OP: return wakeOp(t, uaddr, op, val, timeout, uaddr2, val3);
        default: throw err(E.ENOSYS, 'futex operation not provided');
      }
    }),
];
