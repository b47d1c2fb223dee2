// What a tracer's wait(2) sees of its tracees (kernel/exit.c wait_task_stopped with ptrace, and a traced
// task's exit): every unreported ptrace-stop, without WUNTRACED, and each tracee's end, first.
import type { KTask } from './thread.js';
import { unlink, type Tracee } from './ptrace.js';

/** The tracees of the caller's process (of the caller alone with __WNOTHREAD). */
export function traceesOf(t: KTask, ownOnly: boolean): Tracee[] {
  if (ownOnly) return [...t.tracees];
  const all: Tracee[] = [];
  for (const o of t.process.threads) all.push(...o.tracees);
  return all;
}

/** A report for the tracer: an unreported stop, or the tracee's exit status (`exited`). */
export interface TraceReport { tr: Tracee; status: number; exited: boolean; }

export function traceReport(tr: Tracee, wantExit: boolean): TraceReport | null {
  if (tr.exitStatus !== null) return wantExit ? { tr, status: tr.exitStatus, exited: true } : null;
  if (tr.stop && !tr.stop.reported) return { tr, status: tr.status, exited: false };
  return null;
}

/** wait consumed the report: a stop is reported once; an exit ends the link (the real parent hears next). */
export function takeReport(r: TraceReport): void {
  if (r.exited) return unlink(r.tr);
  r.tr.stop!.reported = true;
  const p = r.tr.task.process;
  // a tracer that is also the parent hears of a group-stop once, as a ptrace-stop
  if (p.parent === r.tr.tracer.process && r.tr.stop!.sig === p.stopSig) p.waitEvent = null;
}
