// ptrace(2)'s tracer-tracee link and its stops (kernel/ptrace.c, kernel/signal.c ptrace_stop). A tracee is a
// thread; a ptrace-stop parks it off the run queue (as a group stop parks a process) and is reported to its
// tracer's wait(2), never to its real parent. The tracer resumes it with PTRACE_CONT/SYSCALL/DETACH.
import type { KTask } from './thread.js';
import { SIG, NSIG } from './signals.js';
import { CLD, SA, postGroupSignal, postSignal, type SigInfo } from './signal-deliver.js';
import { reportExit } from './exit-notify.js';
import { LinuxError } from './errno.js';

export const PTRACE_O = {
  TRACESYSGOOD: 1, TRACEFORK: 2, TRACEVFORK: 4, TRACECLONE: 8, TRACEEXEC: 0x10, TRACEVFORKDONE: 0x20,
  TRACEEXIT: 0x40, TRACESECCOMP: 0x80, EXITKILL: 0x100000, SUSPEND_SECCOMP: 0x200000,
} as const;
export const PTRACE_O_MASK = 0xff | PTRACE_O.EXITKILL | PTRACE_O.SUSPEND_SECCOMP;
export const PTRACE_EVENT = { FORK: 1, VFORK: 2, CLONE: 3, EXEC: 4, VFORK_DONE: 5, EXIT: 6, SECCOMP: 7, STOP: 128 } as const;
const SI_USER = 0;

export type StopKind = 'signal' | 'group' | 'syscall-enter' | 'syscall-exit' | 'event';

/** One ptrace-stop: its wait(2) status, whether wait has reported it, and its siginfo (PTRACE_GETSIGINFO). */
export interface TraceStop {
  kind: StopKind;
  /** The signal (signal-delivery-stop: the one being delivered; others SIGTRAP or the stop signal). */
  sig: number;
  /** status >> 8 as wait reports it: sig, with the event number or 0x80 above it. */
  code: number;
  /** last_siginfo; null for a group-stop of a PTRACE_ATTACHed tracee (GETSIGINFO: EINVAL). */
  info: SigInfo | null;
  reported: boolean;
  /** The syscall waits at its entry (syscall-enter-stop, PTRACE_EVENT_SECCOMP): resuming runs it again. */
  rewind?: boolean;
}

/** A stop that may follow the current one once the tracer resumes the tracee (an exit stop after an event stop). */
type Later = () => TraceStop | null;

export class Tracee {
  stop: TraceStop | null = null;
  /** How the tracer last resumed it: PTRACE_SYSCALL stops at every syscall entry and exit. */
  mode: 'cont' | 'syscall' | 'step' = 'cont';
  /** The syscall number (orig_rax): tracers change it at syscall-enter-stop, -1 skips the call. */
  origRax = -1n;
  /** A syscall-enter-stop was resumed: the SYSCALL instruction runs again, this time without a stop. */
  reenter = false;
  /** ...after PTRACE_EVENT_SECCOMP: the filters run again, and SECCOMP_RET_TRACE now lets the call through. */
  recheck = false;
  /** Where the SYSCALL instruction of the current syscall-enter-stop is (rip - 2). */
  sysRip = 0n;
  /** PTRACE_GETEVENTMSG: the new child's pid, the exit status, the former thread id at exec. */
  eventMsg = 0n;
  /** An event raised by the syscall in progress (fork, clone, exec...), stopped at before its exit stop. */
  event: { code: number; msg: bigint } | null = null;
  /** A signal the tracer injected at a signal-delivery-stop, delivered next without stopping again. */
  inject: { sig: number; info: SigInfo } | null = null;
  /** Stops to enter when the tracer resumes the current one. */
  readonly later: Later[] = [];
  /** PTRACE_LISTEN: stopped as its group is, not for the tracer, until SIGCONT or PTRACE_INTERRUPT re-trap it. */
  listening = false;
  /** PTRACE_INTERRUPT asked for a PTRACE_EVENT_STOP trap. */
  trapPending = false;
  /** PTRACE_EVENT_EXIT was reported: the task now really exits. */
  exitReported = false;
  /** PTRACE_SINGLESTEP set the trap flag (TIF_FORCED_TF): hidden from the tracer, cleared by the next resume. */
  forcedTF = false;
  /** The tracee ended: its wait status waits for the tracer (null: alive). */
  exitStatus: number | null = null;

  constructor(readonly task: KTask, public tracer: KTask, readonly seized: boolean, public options: number) {}

  /** The status word wait(2) reports for the current stop. */
  get status(): number { return ((this.stop?.code ?? 0) << 8) | 0x7f; }
}

/** Link `t` to `tracer` (ptrace_link): the tracer's wait now sees it. */
export function link(t: KTask, tracer: KTask, seized: boolean, options: number): Tracee {
  const tr = new Tracee(t, tracer, seized, options);
  t.ptrace = tr;
  tracer.tracees.add(tr);
  return tr;
}

/** Break the link (__ptrace_unlink): the tracee runs on untraced, a held exit goes to the real parent. */
export function unlink(tr: Tracee): void {
  const t = tr.task;
  tr.tracer.tracees.delete(tr);
  if (t.ptrace === tr) t.ptrace = null;
  if (tr.exitStatus !== null) { if (t.process.traceHeld && t.tid === t.process.pid) { t.process.traceHeld = false; reportExit(t); } return; }
  if (tr.forcedTF && !t.dead) {
    try { singleStep(tr, false); } catch (e) { if (!(e instanceof LinuxError)) throw e; } // a vfork parent's flags wait
  }
  const stop = tr.stop;
  if (!stop) return;
  tr.stop = null;
  tr.later.length = 0;
  tr.listening = false;
  // a syscall the tracer held at its entry goes ahead untraced
  if (stop.rewind && tr.origRax !== -1n) t.kernel.scheduler.setRegs(t, [['rip', tr.sysRip], ['rax', tr.origRax]]);
  // a tracee taken out of a group stop stays stopped with its group (ptrace(2): "unless they were in group-stop")
  const p = t.process;
  if (p.stopSig && (stop.kind === 'group' || stop.code >> 8 === PTRACE_EVENT.STOP)) { p.stoppedTasks.add(t); return; }
  if (!t.pending && !t.dead) t.kernel.scheduler.wake(t);
}

/** A SIGCHLD siginfo's si_code and si_status for the tracer (do_notify_parent_cldstop with CLD_TRAPPED). */
function notifyTracer(tr: Tracee, code: number, status: number): void {
  const tracer = tr.tracer;
  tracer.process.childChanged();
  const act = tracer.process.sigactions[SIG.SIGCHLD];
  if (code === CLD.TRAPPED && (act.flags & SA.NOCLDSTOP)) return;
  if (!tracer.dead) postGroupSignal(tracer, SIG.SIGCHLD, { code, pid: tr.task.tid, uid: tr.task.creds.uid, status });
}

/** A stop's siginfo as ptrace_do_notify makes it: the tracee's own pid, si_code the reported code. */
const trapInfo = (t: KTask, code: number): SigInfo => ({ code, pid: t.process.pid, uid: t.creds.uid });

export const syscallStop = (tr: Tracee, kind: 'syscall-enter' | 'syscall-exit'): TraceStop => {
  const code = SIG.SIGTRAP | (tr.options & PTRACE_O.TRACESYSGOOD ? 0x80 : 0);
  return { kind, sig: SIG.SIGTRAP, code, info: trapInfo(tr.task, code), reported: false, rewind: kind === 'syscall-enter' };
};
export const eventStop = (tr: Tracee, event: number, sig: number = SIG.SIGTRAP): TraceStop => {
  const code = sig | (event << 8);
  return { kind: 'event', sig, code, info: trapInfo(tr.task, code), reported: false };
};
export const signalStop = (sig: number, info: SigInfo): TraceStop => ({ kind: 'signal', sig, code: sig, info, reported: false });

/** Park the tracee in `stop` and tell its tracer (ptrace_stop). A tracee already stopped takes it next. */
export function enterStop(tr: Tracee, stop: TraceStop): void {
  if (tr.stop) { tr.later.push(() => stop); return; }
  tr.stop = stop;
  notifyTracer(tr, CLD.TRAPPED, stop.code & 0xff);
}

/** Queue a stop decided when the tracer resumes the current one (or now, when none is current). */
export function enterLater(tr: Tracee, later: Later): void {
  if (tr.stop) { tr.later.push(later); return; }
  const s = later();
  if (s) enterStop(tr, s);
}

/**
 * Resume a stopped tracee (ptrace_resume): `sig` is injected at a signal-delivery-stop, sent at a syscall
 * stop, ignored at event and group stops. A queued stop is entered instead of running.
 */
export function resume(tr: Tracee, mode: Tracee['mode'], sig: number, tracer: KTask): void {
  const t = tr.task, stop = tr.stop!;
  if (mode === 'step' || tr.forcedTF) singleStep(tr, mode === 'step'); // may fail (EIO): the tracee stays stopped
  tr.stop = null;
  tr.mode = mode;
  if (stop.kind === 'signal' && sig) {
    // a changed signal gets a siginfo of its own, from the tracer (kernel/signal.c ptrace_signal)
    const info = stop.info && stop.sig === sig ? stop.info : { code: SI_USER, pid: tracer.process.pid, uid: tracer.creds.uid };
    tr.inject = { sig, info };
    t.sigDirty = true;
  } else if ((stop.kind === 'syscall-enter' || stop.kind === 'syscall-exit') && sig) {
    postSignal(t, sig, { code: SI_USER, pid: tracer.process.pid, uid: tracer.creds.uid });
  }
  if (stop.kind === 'group' && t.process.stopSig) t.process.stopSig = 0; // the tracer runs it out of its group stop
  if (stop.rewind) {
    if (tr.origRax === -1n) {
      // orig_rax -1: the call is skipped, RAX stays what the tracer left (-ENOSYS by default)
      if (mode === 'syscall') tr.later.unshift(() => syscallStop(tr, 'syscall-exit'));
    } else {
      tr.reenter = true;
      tr.recheck = stop.kind === 'event';
      t.kernel.scheduler.setRegs(t, [['rip', tr.sysRip], ['rax', tr.origRax]]);
    }
  }
  while (tr.later.length) {
    const next = tr.later.shift()!();
    if (next) { enterStop(tr, next); return; }
  }
  if (!t.pending) t.kernel.scheduler.wake(t);
}

/** x86's trap flag: the CPU raises #DB after one instruction, which becomes SIGTRAP (user_enable_single_step). */
export const EFLAGS_TF = 0x100n;

function singleStep(tr: Tracee, on: boolean): void {
  const e = tr.task.kernel.scheduler.own(tr.task);
  const flags = e.get('eflags');
  if (on && !(flags & EFLAGS_TF)) { e.set('eflags', flags | EFLAGS_TF); tr.forcedTF = true; }
  else if (!on && tr.forcedTF) { e.set('eflags', flags & ~EFLAGS_TF); tr.forcedTF = false; }
}

/** A valid signal argument of a resuming request (valid_signal: EIO otherwise). */
export const validSignal = (sig: number): boolean => sig >= 0 && sig <= NSIG;

/**
 * The tracer thread ended (exit_ptrace): its tracees are detached and run on, or get SIGKILL with
 * PTRACE_O_EXITKILL; ended ones it had not waited for go to their real parents.
 */
export function tracerExited(tracer: KTask): void {
  for (const tr of [...tracer.tracees]) {
    if (tr.options & PTRACE_O.EXITKILL && tr.exitStatus === null) postSignal(tr.task, SIG.SIGKILL, { code: 0x80, pid: 0, uid: 0 });
    unlink(tr);
  }
}

/**
 * A traced thread ended with wait status `status` (exit_notify). Its tracer hears first; true when the
 * process's report to its real parent must wait until the tracer has collected it (a tracer that is the
 * real parent reaps it as its child instead).
 */
export function traceeExited(t: KTask, status: number, lastThread: boolean): boolean {
  const tr = t.ptrace!;
  if (lastThread && tr.tracer.process === t.process.parent && t.tid === t.process.pid) { unlink(tr); return false; }
  tr.stop = null;
  tr.later.length = 0;
  tr.exitStatus = status;
  const sig = status & 0x7f;
  notifyTracer(tr, sig === 0 ? CLD.EXITED : status & 0x80 ? CLD.DUMPED : CLD.KILLED, sig === 0 ? (status >> 8) & 0xff : sig);
  const held = lastThread && t.tid === t.process.pid;
  if (held) t.process.traceHeld = true;
  return held;
}

/**
 * Re-trap a listening tracee with PTRACE_EVENT_STOP (JOBCTL_TRAP_NOTIFY): its group stop ended (SIGCONT), or
 * its tracer interrupted it. The stop signal is the group's while it is stopped, else SIGTRAP.
 */
export function retrap(tr: Tracee): void {
  tr.listening = false;
  tr.stop = null;
  enterStop(tr, eventStop(tr, PTRACE_EVENT.STOP, tr.task.process.stopSig || SIG.SIGTRAP));
}
