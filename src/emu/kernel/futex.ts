// Futex wait queues (kernel/futex): waiters keyed by address space and user address, woken in FIFO order
// with a bitset match. Shared futexes are keyed the same way: there is no memory shared between
// processes yet, so a shared futex can only be reached through one address space.
import type { AddressSpace } from '../mm/address-space.js';
import { WaitQueue, waitOn } from './wait-queue.js';
import { E, err } from './errno.js';

interface Waiter { bitset: number; woken: boolean; readonly queue: WaitQueue; key: number; }

const tables = new WeakMap<AddressSpace, Map<number, Waiter[]>>();

function table(mm: AddressSpace): Map<number, Waiter[]> {
  let t = tables.get(mm);
  if (!t) tables.set(mm, (t = new Map()));
  return t;
}

function remove(mm: AddressSpace, w: Waiter): void {
  const list = table(mm).get(w.key);
  if (!list) return;
  const i = list.indexOf(w);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) table(mm).delete(w.key);
}

/**
 * FUTEX_WAIT(_BITSET): sleep on `uaddr` until woken (0), the timeout passes (ETIMEDOUT) or a signal
 * arrives (restartable). The caller has checked the word's value already (EAGAIN otherwise).
 */
export function futexWait(mm: AddressSpace, uaddr: number, bitset: number, timeoutMs?: number): Promise<number> {
  const w: Waiter = { bitset, woken: false, queue: new WaitQueue(), key: uaddr };
  const list = table(mm).get(uaddr) ?? [];
  list.push(w);
  table(mm).set(uaddr, list);
  const r = waitOn([w.queue], () => (w.woken ? 0 : null), {
    timeoutMs, onTimeout: () => { remove(mm, w); throw err(E.ETIMEDOUT); },
    onInterrupt: () => { remove(mm, w); return w.woken ? 0 : null; },
  });
  return Promise.resolve(r);
}

/** FUTEX_WAKE(_BITSET): wake up to `n` waiters on `uaddr` whose bitset matches; how many were woken. */
export function futexWake(mm: AddressSpace, uaddr: number, n: number, bitset: number): number {
  const list = table(mm).get(uaddr);
  if (!list) return 0;
  let woken = 0;
  for (const w of [...list]) {
    if (woken >= n) break;
    if (!(w.bitset & bitset)) continue;
    remove(mm, w);
    w.woken = true;
    w.queue.notify();
    woken++;
  }
  return woken;
}

/** FUTEX_REQUEUE / CMP_REQUEUE: wake `nWake` on uaddr, move up to `nMove` others to uaddr2. */
export function futexRequeue(mm: AddressSpace, uaddr: number, uaddr2: number, nWake: number, nMove: number): number {
  const woken = futexWake(mm, uaddr, nWake, 0xffffffff);
  const list = table(mm).get(uaddr) ?? [];
  const moving = list.splice(0, nMove);
  if (!list.length) table(mm).delete(uaddr);
  if (moving.length) {
    const dest = table(mm).get(uaddr2) ?? [];
    for (const w of moving) { w.key = uaddr2; dest.push(w); }
    table(mm).set(uaddr2, dest);
  }
  return woken + moving.length;
}
