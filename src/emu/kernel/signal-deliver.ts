// Signal arrival (kernel/signal.c): a posted signal becomes pending on its target; the target acts on it
// the next time it returns to user mode.
import type { KTask } from './thread.js';
import { defaultAction, signaledStatus, SIG_IGN, SIG_DFL } from './signals.js';
import { blockers } from './wait-queue.js';

/** The siginfo fields a sender fills (si_code, si_pid, si_uid; si_addr for faults; si_status for SIGCHLD). */
export interface SigInfo { code: number; pid: number; uid: number; addr?: number; status?: number; }

export function postSignal(t: KTask, sig: number, _info: SigInfo): void {
  const act = t.process.sigactions[sig];
  if (act.handler === SIG_IGN) return;
  if (act.handler === SIG_DFL) {
    const d = defaultAction(sig);
    if (d !== 'term' && d !== 'core') return;
  }
  t.exitGroup(signaledStatus(sig));
  blockers.get(t)?.interrupt();
}
