// flock(2) locks (fs/locks.c flock_lock_inode): whole-file shared/exclusive locks owned by the open file
// description, so dup'ed and forked fds share them and the last close of the description releases them.
import { E, err } from '../../kernel/errno.js';
import { waitOn } from '../../kernel/wait-queue.js';
import type { OpenFile } from '../file.js';
import { type InodeLocks, changed, existingLocksOf, locksOf, nextLockSeq, waiting } from './inode-locks.js';

export const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

/** The release at last close is registered once per open file description. */
const releaseHooked = new WeakSet<OpenFile>();

function drop(c: InodeLocks, f: OpenFile): boolean {
  const i = c.flocks.findIndex((l) => l.owner === f);
  if (i < 0) return false;
  c.flocks.splice(i, 1);
  return true;
}

/**
 * flock(2) on f: LOCK_SH, LOCK_EX or LOCK_UN, optionally with LOCK_NB. A conversion drops the old lock first
 * and then waits like a new request (it is not atomic, as the man page warns). A blocked wait ends with
 * ERESTARTSYS on a signal: restarted under SA_RESTART, EINTR otherwise. `pid` is the caller's thread group.
 */
export function flockFile(f: OpenFile, op: number, pid: number): number | Promise<number> {
  const kind = op & ~LOCK_NB;
  if (kind !== LOCK_SH && kind !== LOCK_EX && kind !== LOCK_UN) throw err(E.EINVAL);
  if (kind === LOCK_UN) {
    const c = existingLocksOf(f);
    if (c && drop(c, f)) changed(c);
    return 0;
  }
  const exclusive = kind === LOCK_EX;
  const c = locksOf(f);
  const mine = c.flocks.find((l) => l.owner === f);
  if (mine && mine.exclusive === exclusive) return 0;
  // the context stays (not changed(), which forgets an idle one): the new lock goes into it below
  if (mine) { drop(c, f); c.queue.notify(); }
  const attempt = (): number | null => {
    if (c.flocks.some((l) => l.owner !== f && (exclusive || l.exclusive))) return null;
    c.flocks.push({ owner: f, exclusive, pid, seq: nextLockSeq() });
    if (!releaseHooked.has(f)) {
      releaseHooked.add(f);
      f.onRelease(() => { const now = existingLocksOf(f); if (now && drop(now, f)) changed(now); });
    }
    return 0;
  };
  if (op & LOCK_NB) {
    if (attempt() === null) { changed(c); throw err(E.EAGAIN); }
    return 0;
  }
  return waiting(c, waitOn([c.queue], attempt));
}
