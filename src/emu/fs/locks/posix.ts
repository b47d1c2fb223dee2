// Byte-range record locks of fcntl(2) (fs/locks.c posix_lock_inode): classic POSIX locks owned by the
// process's fd table (files_struct) and released when it closes any fd of the file, and open file
// description (OFD) locks owned by the description. Both kinds live in one list per inode and conflict
// with each other; an owner's own locks never conflict, they are split and merged instead.
import { E, err } from '../../kernel/errno.js';
import { waitOn } from '../../kernel/wait-queue.js';
import type { OpenFile } from '../file.js';
import { inodeKey } from '../inode-key.js';
import { type InodeLocks, type RangeLock, changed, existingLocksOf, locksOf, nextLockSeq, waiting } from './inode-locks.js';

export const F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
/** The highest offset (OFFSET_MAX): a lock ending here runs to the end of the file, whatever its size. */
export const OFFSET_MAX = (1n << 63n) - 1n;
/** How far the deadlock detector follows waiting owners (MAX_DEADLK_ITERATIONS). */
const MAX_DEADLK_ITERATIONS = 10;

export interface LockRequest { type: number; start: bigint; end: bigint; }

/** Who asks: the owner object, whether it is an OFD lock, and the pid F_GETLK will report. */
export interface LockOwner { owner: object; ofd: boolean; pid: number; }

/** Classic owners blocked in F_SETLKW and what they wait for (blocked_hash, for deadlock detection). */
const blocked = new Map<object, { c: InodeLocks; req: LockRequest }>();
/** The inode keys where an fd table holds classic locks: close() looks here first, without a stat. */
const heldBy = new WeakMap<object, Set<string>>();
const releaseHooked = new WeakSet<OpenFile>();

const overlaps = (a: { start: bigint; end: bigint }, b: { start: bigint; end: bigint }): boolean =>
  a.start <= b.end && b.start <= a.end;

function conflict(c: InodeLocks, owner: object, req: LockRequest): RangeLock | null {
  for (const l of c.ranges) {
    if (l.owner !== owner && overlaps(l, req) && (l.type === F_WRLCK || req.type === F_WRLCK)) return l;
  }
  return null;
}

/** Would `owner` waiting behind `blocker` close a cycle of classic owners waiting on each other? */
function deadlocks(owner: object, blocker: RangeLock): boolean {
  for (let i = 0; i < MAX_DEADLK_ITERATIONS; i++) {
    const w = blocked.get(blocker.owner);
    const next = w && conflict(w.c, blocker.owner, w.req);
    if (!next) return false;
    if (next.owner === owner) return true;
    blocker = next;
  }
  return false;
}

/** Apply a granted request to the owner's locks: overlapping ones of another type are split, same-type ones merged. */
function apply(c: InodeLocks, who: LockOwner, req: LockRequest): void {
  const mine: RangeLock[] = [];
  const rest: RangeLock[] = [];
  for (const l of c.ranges) (l.owner === who.owner ? mine : rest).push(l);
  let { start, end } = req;
  const kept: RangeLock[] = [];
  for (const l of mine) {
    const touches = l.start <= end + 1n && start <= l.end + 1n;
    if (l.type === req.type && touches) {
      if (l.start < start) start = l.start;
      if (l.end > end) end = l.end;
    } else if (overlaps(l, req)) {
      if (l.start < req.start) kept.push({ ...l, end: req.start - 1n });
      if (l.end > req.end) kept.push({ ...l, start: req.end + 1n });
    } else kept.push(l);
  }
  if (req.type !== F_UNLCK) kept.push({ owner: who.owner, ofd: who.ofd, type: req.type, start, end, pid: who.pid, seq: nextLockSeq() });
  kept.sort((a, b) => (a.start < b.start ? -1 : 1));
  c.ranges.length = 0;
  c.ranges.push(...rest, ...kept);
  if (!who.ofd) {
    let keys = heldBy.get(who.owner);
    if (!keys) heldBy.set(who.owner, (keys = new Set()));
    if (kept.length > 0) keys.add(c.key); else keys.delete(c.key);
  }
  changed(c);
}

/** F_GETLK / F_OFD_GETLK: the first lock that would block the request, or null. */
export function testLock(f: OpenFile, who: LockOwner, req: LockRequest): RangeLock | null {
  const c = existingLocksOf(f);
  return c ? conflict(c, who.owner, req) : null;
}

/**
 * F_SETLK(W) / F_OFD_SETLK(W). A conflict is EAGAIN without `wait`; with it the task parks until the range
 * is free (EDEADLK when classic owners would wait on each other; ERESTARTSYS on a signal).
 */
export function setLock(f: OpenFile, who: LockOwner, req: LockRequest, wait: boolean): number | Promise<number> {
  const c = locksOf(f);
  if (who.ofd && !releaseHooked.has(f)) {
    releaseHooked.add(f);
    f.onRelease(() => releaseOwner(f, f));
  }
  const attempt = (): number | null => {
    const b = req.type === F_UNLCK ? null : conflict(c, who.owner, req);
    if (!b) { apply(c, who, req); return 0; }
    if (!wait) throw err(E.EAGAIN);
    if (!who.ofd && deadlocks(who.owner, b)) throw err(E.EDEADLK);
    if (!who.ofd) blocked.set(who.owner, { c, req });
    return null;
  };
  try {
    const r = waiting(c, waitOn([c.queue], attempt));
    if (who.ofd || typeof r === 'number') return r;
    const done = (): void => { blocked.delete(who.owner); };
    return r.then((v) => { done(); return v; }, (e) => { done(); throw e; });
  } catch (e) { changed(c); throw e; }
}

/** Drop every lock `owner` holds on f's inode (the close of an fd, or the last close of an OFD). */
function releaseOwner(owner: object, f: OpenFile): void {
  const c = existingLocksOf(f);
  if (!c || !c.ranges.some((l) => l.owner === owner)) return;
  const rest = c.ranges.filter((l) => l.owner !== owner);
  c.ranges.length = 0;
  c.ranges.push(...rest);
  changed(c);
}

/** close(2) of any fd of the file releases the fd table's classic locks on it (filp_close → locks_remove_posix). */
export function releasePosixLocks(files: object, f: OpenFile): void {
  const keys = heldBy.get(files);
  if (!keys || keys.size === 0) return;
  const key = inodeKey(f);
  if (!keys.has(key)) return;
  keys.delete(key);
  releaseOwner(files, f);
}
