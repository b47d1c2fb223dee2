// Signals and ptrace (kernel/signal.c ptrace_signal, do_signal_stop, do_jobctl_trap): every signal a tracee
// is about to take stops it first; the tracer's resuming request says which signal, if any, is delivered.
import type { KTask } from './thread.js';
import { sigbit } from './sig-pending.js';
import { postSignal, type SigInfo } from './signal-deliver.js';
import { PTRACE_EVENT, enterStop, eventStop, signalStop } from './ptrace.js';

/** Signal-delivery-stop: `sig`, already dequeued, waits for the tracer's verdict. */
export function tracedSignal(t: KTask, sig: number, info: SigInfo): void {
  enterStop(t.ptrace!, signalStop(sig, info));
}

/**
 * The signal the tracer injected, delivered now without another stop; one the task now blocks goes back
 * to its pending set (and stops the tracee again when unblocked, as Linux requeues it).
 */
export function injectedSignal(t: KTask): { sig: number; info: SigInfo; injected: true } | null {
  const inj = t.ptrace!.inject;
  if (!inj) return null;
  t.ptrace!.inject = null;
  if (t.sigmask & sigbit(inj.sig)) { postSignal(t, inj.sig, inj.info); return null; }
  return { ...inj, injected: true };
}

/**
 * A tracee's group-stop is a ptrace-stop its tracer sees: the stop signal, or PTRACE_EVENT_STOP with it
 * when the tracee was seized.
 */
export function groupStopTraced(t: KTask, sig: number): void {
  const tr = t.ptrace!;
  enterStop(tr, tr.seized ? eventStop(tr, PTRACE_EVENT.STOP, sig) : { kind: 'group', sig, code: sig, info: null, reported: false });
}

/** PTRACE_INTERRUPT's trap: PTRACE_EVENT_STOP with SIGTRAP (the group is not stopped). */
export function interruptTrap(t: KTask): void {
  const tr = t.ptrace!;
  tr.trapPending = false;
  enterStop(tr, eventStop(tr, PTRACE_EVENT.STOP));
}

/** SIGKILL reaches stopped tracees too: they leave their stops to exit. */
export function killStopped(t: KTask): void {
  for (const o of t.process.threads) {
    const tr = o.ptrace;
    if (!tr?.stop) continue;
    tr.stop = null;
    tr.later.length = 0;
    if (!o.pending) o.kernel.scheduler.wake(o);
  }
}

