// Blocking, the kernel's way: a task that must wait parks on one or more wait queues (include/linux/wait.h)
// and re-checks its condition each time a queue is notified. The wait is a Promise the syscall returns; it
// can time out, and a signal can interrupt it (the Blocker registered on the task), with nothing consumed.
import type { Task } from './task.js';
import { LinuxError } from './errno.js';

/** Internal errnos of interrupted calls (include/linux/errno.h); never seen by the guest. */
export const ERESTARTSYS = 512;       // restart if the handler has SA_RESTART (or no handler ran), else EINTR
export const ERESTARTNOINTR = 513;    // always restart
export const ERESTARTNOHAND = 514;    // restart only when no handler ran
export const ERESTART_RESTARTBLOCK = 516; // as NOHAND here (nanosleep, poll)

/** What the signal code uses to interrupt a parked task. */
export interface Blocker { interrupt(): void; }

/** Parked tasks register their Blocker here (one at a time: a task waits in one syscall). */
export const blockers = new WeakMap<Task, Blocker>();

let currentTask: Task | null = null;
/** The task whose syscall is running (Linux's `current`): dispatch sets it around every handler. */
export const setCurrent = (t: Task | null): void => { currentTask = t; };
export const current = (): Task | null => currentTask;

export class WaitQueue {
  private readonly waiters = new Set<() => void>();
  private queued = false;
  /** Synchronous callbacks (a wait_queue_entry's func, as epoll's ep_poll_callback): they only record. */
  private readonly watchers = new Set<() => void>();

  /** Something changed: every waiter re-checks, once the current operation is over (never re-entrantly). */
  notify(): void {
    for (const w of this.watchers) w();
    if (this.queued || this.waiters.size === 0) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      for (const w of [...this.waiters]) w();
    });
  }

  add(w: () => void): void { this.waiters.add(w); }
  remove(w: () => void): void { this.waiters.delete(w); }
  /** Run `w` synchronously inside every notify(); it must only record readiness (epoll), never block or wake guests. */
  watch(w: () => void): void { this.watchers.add(w); }
  unwatch(w: () => void): void { this.watchers.delete(w); }
  get size(): number { return this.waiters.size; }
}

export interface WaitOptions {
  /** Give up after this many milliseconds and resolve with onTimeout()'s value (or its exception). */
  timeoutMs?: number;
  onTimeout?: () => number;
  /** The errno an interruption by a signal gives: ERESTARTSYS by default (see above). */
  interruptErrno?: number;
  /** A wait that already did part of its work (a long pipe write) ends with this value when interrupted. */
  onInterrupt?: () => number | null;
}

/**
 * Park the current task until `attempt()` returns a number (it may also throw a LinuxError to end the
 * wait). `attempt` runs now and after each notify of any of `queues`; it must consume nothing unless it
 * returns. Outside a syscall (kernel-internal use) the wait simply cannot be interrupted.
 */
export function waitOn(queues: WaitQueue[], attempt: () => number | null, opts: WaitOptions = {}): number | Promise<number> {
  const now = attempt();
  if (now !== null) return now;
  const t = currentTask;
  return new Promise<number>((resolve, reject) => {
    let timer: NodeJS.Timeout | null = null;
    const done = (): void => {
      for (const q of queues) q.remove(check);
      if (timer) clearTimeout(timer);
      if (t) blockers.delete(t);
    };
    const check = (): void => {
      try {
        const r = attempt();
        if (r === null) return;
        done();
        resolve(r);
      } catch (e) { done(); reject(e); }
    };
    for (const q of queues) q.add(check);
    if (opts.timeoutMs !== undefined && opts.timeoutMs >= 0) {
      timer = setTimeout(() => {
        done();
        try { resolve(opts.onTimeout ? opts.onTimeout() : 0); } catch (e) { reject(e); }
      }, opts.timeoutMs);
    }
    if (!t) return;
    const blocker: Blocker = {
      interrupt: () => {
        // the condition first, as Linux's wait loops do: an event that came with the signal still counts
        let ready: number | null = null;
        try { ready = attempt(); } catch (e) { done(); reject(e); return; }
        done();
        if (ready !== null) { resolve(ready); return; }
        const partial = opts.onInterrupt?.() ?? null;
        if (partial !== null) resolve(partial);
        else reject(new LinuxError(opts.interruptErrno ?? ERESTARTSYS));
      },
    };
    blockers.set(t, blocker);
    // a signal already deliverable ends the wait before it starts (signal_pending() before sleeping)
    if ((t as { sigDirty?: boolean }).sigDirty) blocker.interrupt();
  });
}

/** Sleep until `ms` have passed; a signal ends it early with `interruptErrno`. */
export function sleep(ms: number, interruptErrno = ERESTART_RESTARTBLOCK): Promise<number> {
  return waitOn([], () => null, { timeoutMs: Math.max(0, ms), interruptErrno }) as Promise<number>;
}
