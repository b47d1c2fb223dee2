// Futex wait queues (kernel/futex): waiters keyed by a futex key, woken in FIFO order with a bitset
// match. The key of a private futex, or of any futex outside shared memory, is (address space, address);
// a shared futex in a MAP_SHARED mapping is keyed by (shared segment, offset), so processes that map the
// segment at different addresses meet on one queue (futex/core.c get_futex_key).
import type { AddressSpace } from '../mm/address-space.js';
import { WaitQueue, waitOn } from './wait-queue.js';
import { E, err } from './errno.js';

/** Where a futex word lives: an address space or a shared segment, and the address or offset in it. */
export interface FutexKey { readonly space: object; readonly off: number; }

interface Waiter { bitset: number; woken: boolean; readonly queue: WaitQueue; key: FutexKey; }

const tables = new WeakMap<object, Map<number, Waiter[]>>();

/** get_futex_key: `shared` is the absence of FUTEX_PRIVATE_FLAG. */
export function futexKey(mm: AddressSpace, uaddr: number, shared: boolean): FutexKey {
  if (shared) {
    const v = mm.vmas.find(uaddr);
    if (v?.seg) return { space: v.seg, off: v.offset + (uaddr - v.start) };
  }
  return { space: mm, off: uaddr };
}

function table(space: object): Map<number, Waiter[]> {
  let t = tables.get(space);
  if (!t) tables.set(space, (t = new Map()));
  return t;
}

function remove(w: Waiter): void {
  const t = table(w.key.space);
  const list = t.get(w.key.off);
  if (!list) return;
  const i = list.indexOf(w);
  if (i >= 0) list.splice(i, 1);
  if (!list.length) t.delete(w.key.off);
}

/**
 * FUTEX_WAIT(_BITSET): sleep on `key` until woken (0), the timeout passes (ETIMEDOUT) or a signal
 * arrives (restartable). The caller has checked the word's value already (EAGAIN otherwise).
 */
export function futexWait(key: FutexKey, bitset: number, timeoutMs?: number): Promise<number> {
  const w: Waiter = { bitset, woken: false, queue: new WaitQueue(), key };
  const t = table(key.space);
  const list = t.get(key.off) ?? [];
  list.push(w);
  t.set(key.off, list);
  const r = waitOn([w.queue], () => (w.woken ? 0 : null), {
    timeoutMs, onTimeout: () => { remove(w); throw err(E.ETIMEDOUT); },
    onInterrupt: () => { remove(w); return w.woken ? 0 : null; },
  });
  return Promise.resolve(r);
}

/** FUTEX_WAKE(_BITSET): wake up to `n` waiters on `key` whose bitset matches; how many were woken. */
export function futexWake(key: FutexKey, n: number, bitset: number): number {
  const list = table(key.space).get(key.off);
  if (!list) return 0;
  let woken = 0;
  for (const w of [...list]) {
    if (woken >= n) break;
    if (!(w.bitset & bitset)) continue;
    remove(w);
    w.woken = true;
    w.queue.notify();
    woken++;
  }
  return woken;
}

/** FUTEX_REQUEUE / CMP_REQUEUE: wake `nWake` on key, move up to `nMove` others to key2. */
export function futexRequeue(key: FutexKey, key2: FutexKey, nWake: number, nMove: number): number {
  const woken = futexWake(key, nWake, 0xffffffff);
  const from = table(key.space);
  const list = from.get(key.off) ?? [];
  const moving = list.splice(0, nMove);
  if (!list.length) from.delete(key.off);
  if (moving.length) {
    const to = table(key2.space);
    const dest = to.get(key2.off) ?? [];
    for (const w of moving) { w.key = key2; dest.push(w); }
    to.set(key2.off, dest);
  }
  return woken + moving.length;
}
