// Sending signals to processes and process groups (kill(2)'s targets, the tty's ^C, the daemon's
// forwarding of host signals). What happens on arrival is decided by the target's signal state.
import type { Kernel } from './kernel.js';
import type { KTask } from './thread.js';
import { E, err } from './errno.js';
import { NSIG } from './signals.js';
import { postSignal } from './signal-deliver.js';

/** Tasks of process `pid` (its threads). */
function tasksOf(kernel: Kernel, pid: number): KTask[] {
  const out: KTask[] = [];
  for (const t of kernel.tasks.values()) if (t.process.pid === pid) out.push(t as KTask);
  return out;
}

/** Signal one process (kill(pid, sig) with pid > 0). ESRCH when it does not exist; sig 0 only checks. */
export function sendSignal(kernel: Kernel, pid: number, sig: number): void {
  if (sig < 0 || sig > NSIG) throw err(E.EINVAL);
  const tasks = tasksOf(kernel, pid);
  if (!tasks.length) throw err(E.ESRCH);
  if (sig !== 0) postSignal(tasks[0], sig, { code: 0, pid: 0, uid: 0 });
}

/** Signal every process of a process group (kill(-pgid, sig), the terminal's ^C). ESRCH when empty. */
export function sendSignalToGroup(kernel: Kernel, pgid: number, sig: number): void {
  if (sig < 0 || sig > NSIG) throw err(E.EINVAL);
  const leaders = new Map<number, KTask>();
  for (const t of kernel.tasks.values()) {
    if (t.process.pgid === pgid && !leaders.has(t.process.pid)) leaders.set(t.process.pid, t as KTask);
  }
  if (!leaders.size) throw err(E.ESRCH);
  if (sig !== 0) for (const t of leaders.values()) postSignal(t, sig, { code: 0, pid: 0, uid: 0 });
}
