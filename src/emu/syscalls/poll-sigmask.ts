// The temporary signal mask of ppoll(2), pselect6(2) and epoll_pwait(2) (fs/select.c set_user_sigmask and
// restore_saved_sigmask_unless): in force during the call; restored when it returns, except when a signal
// interrupted it: then the delivery code restores it once the handler has run (t.savedMask).
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { E, err, LinuxError } from '../kernel/errno.js';
import { UNBLOCKABLE } from '../kernel/signal-deliver.js';

const k = (t: Task): KTask => t as KTask;

/** A signal the task would take now is pending (signal_pending()). */
export const signalPending = (t: Task): boolean => (k(t).pendingSigs & ~t.sigmask) !== 0n;

const interrupted = (e: unknown): boolean => e instanceof LinuxError && (e.errno === E.EINTR || e.errno >= 512);

/** Run `body` under the mask at `maskp` (none when 0); `size` must be sizeof(sigset_t), 8. */
export function withSigmask(t: Task, maskp: number, size: number, body: () => number | Promise<number>): number | Promise<number> {
  if (!maskp) return body();
  if (size !== 8) throw err(E.EINVAL);
  const kt = k(t);
  const mask = t.mem.readBig(maskp) & ~UNBLOCKABLE;
  kt.savedMask = kt.sigmask;
  kt.sigmask = mask;
  if (signalPending(t)) kt.sigDirty = true;
  const restore = (e?: unknown): void => {
    if (e !== undefined && interrupted(e)) return; // the handler's frame carries the old mask back
    if (kt.savedMask !== null) { kt.sigmask = kt.savedMask; kt.savedMask = null; }
  };
  let r: number | Promise<number>;
  try { r = body(); } catch (e) { restore(e); throw e; }
  if (typeof r === 'number') { restore(); return r; }
  return r.then((v) => { restore(); return v; }, (e) => { restore(e); throw e; });
}
