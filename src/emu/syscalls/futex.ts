// futex(2) for single-threaded processes: WAIT compares and sleeps, WAKE finds no waiter. The wait queues
// shared between threads come with the Processes work.
import { E, err } from '../kernel/errno.js';
import { monotonicNs, realtimeNs } from '../kernel/clock.js';
import { partial, type SyscallDef } from './types.js';
import { readTimespec } from './abi.js';
import { waitOn } from '../kernel/wait-queue.js';

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;

export const futexSyscalls: SyscallDef[] = [
  partial(202, 'futex', ['ptr', 'int', 'uint', 'ptr', 'ptr', 'uint'], 'WAIT/WAKE(+BITSET) for one thread; no requeue, PI or wait queues yet',
    (t, uaddr, op, val, timeout, _uaddr2, val3) => {
      const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
      if (uaddr % 4) throw err(E.EINVAL);
      switch (cmd) {
        case FUTEX_WAKE: case FUTEX_WAKE_BITSET:
          if (cmd === FUTEX_WAKE_BITSET && val3 === 0) throw err(E.EINVAL);
          return 0;
        case FUTEX_WAIT: case FUTEX_WAIT_BITSET: {
          if (cmd === FUTEX_WAIT_BITSET && val3 === 0) throw err(E.EINVAL);
          if (t.mem.readU32(uaddr) !== val) throw err(E.EAGAIN);
          // no other thread exists to wake us: the wait ends by timeout or signal only, as on Linux
          if (!timeout) return waitOn([], () => null);
          const ts = readTimespec(t.mem, timeout);
          // FUTEX_WAIT takes a relative timeout; the BITSET form an absolute one on the chosen clock
          const now = op & FUTEX_CLOCK_REALTIME ? realtimeNs : monotonicNs;
          const left = cmd === FUTEX_WAIT ? ts : ts - now();
          return waitOn([], () => null, { timeoutMs: Math.max(0, Number(left) / 1e6), onTimeout: () => { throw err(E.ETIMEDOUT); } });
        }
        default: throw err(E.ENOSYS, 'futex operation not provided yet');
      }
    }),
];
