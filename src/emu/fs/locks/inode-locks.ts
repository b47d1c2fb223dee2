// The lock context of an inode (struct file_lock_context, fs/locks.c): its flock and POSIX/OFD locks and the
// queue its waiters park on. Contexts are keyed by the inode's identity (st_dev, st_ino), so two opens of the
// same file meet here whatever filesystem serves it; a context lives while it holds a lock or a waiter.
import { WaitQueue } from '../../kernel/wait-queue.js';
import type { OpenFile } from '../file.js';
import { inodeKey } from '../inode-key.js';

/** A byte-range lock (struct file_lock with FL_POSIX or FL_OFDLCK): [start, end] inclusive, end MAX to EOF. */
export interface RangeLock {
  /** The FdTable (classic POSIX locks: Linux's files_struct) or the OpenFile (OFD locks). */
  owner: object;
  ofd: boolean;
  /** F_RDLCK or F_WRLCK. */
  type: number;
  start: bigint;
  end: bigint;
  /** The thread group that set a POSIX lock (F_GETLK's l_pid); -1 for OFD locks. */
  pid: number;
  /** Creation order (/proc/locks lists the newest first). */
  seq: number;
}

/** A whole-file lock of flock(2), owned by the open file description. */
/** The thread group that took it and the creation order are for /proc/locks. */
export interface FileLock { owner: OpenFile; exclusive: boolean; pid: number; seq: number; }

let lastSeq = 0;
export const nextLockSeq = (): number => ++lastSeq;

export class InodeLocks {
  readonly flocks: FileLock[] = [];
  readonly ranges: RangeLock[] = [];
  /** Waiters of both kinds re-check after every release or change (locks_wake_up_blocks). */
  readonly queue = new WaitQueue();
  waiters = 0;
  constructor(readonly key: string) {}
  get idle(): boolean { return this.flocks.length === 0 && this.ranges.length === 0 && this.waiters === 0; }
}

const contexts = new Map<string, InodeLocks>();

/** The context of f's inode, made on first use. */
export function locksOf(f: OpenFile): InodeLocks {
  const key = inodeKey(f);
  let c = contexts.get(key);
  if (!c) contexts.set(key, (c = new InodeLocks(key)));
  return c;
}

/** Every inode with locks or waiters now (/proc/locks). */
export const lockContexts = (): IterableIterator<InodeLocks> => contexts.values();

/** The context of f's inode if it has one. */
export const existingLocksOf = (f: OpenFile): InodeLocks | undefined => contexts.get(inodeKey(f));

/** Something was released or changed: wake the waiters, and forget the context once nothing is left. */
export function changed(c: InodeLocks): void {
  c.queue.notify();
  if (c.idle) contexts.delete(c.key);
}

/** Wait bookkeeping around a blocking request: the context is kept while someone waits on it. */
export function waiting<T>(c: InodeLocks, r: T | Promise<T>): T | Promise<T> {
  if (!(r instanceof Promise)) return r;
  c.waiters++;
  const end = (): void => { c.waiters--; changed(c); };
  return r.then((v) => { end(); return v; }, (e) => { end(); throw e; });
}
