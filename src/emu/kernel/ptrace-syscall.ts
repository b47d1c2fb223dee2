// The syscall path of a tracee (kernel/entry syscall_trace_enter/exit, ptrace_event): syscall-enter-stop and
// syscall-exit-stop under PTRACE_SYSCALL, and the event stops of fork, clone, vfork and exec.
// A syscall-enter-stop ends the engine's slice with RIP after the SYSCALL and RAX = -ENOSYS, as Linux shows
// it; when the tracer resumes it, RIP goes back onto the SYSCALL and RAX takes orig_rax (which the tracer
// may have changed), so the call runs once more, this time past the stop.
import type { KTask } from './thread.js';
import { E } from './errno.js';
import { SIG } from './signals.js';
import { postSignal } from './signal-deliver.js';
import { CLONE } from './fork.js';
import { PTRACE_EVENT, PTRACE_O, enterLater, enterStop, eventStop, link, syscallStop, type Tracee } from './ptrace.js';

type Outcome = number | Promise<number>;

/** The exit stop, if the tracer resumed the last stop with PTRACE_SYSCALL. */
const exitStop = (tr: Tracee) => () => (tr.mode === 'syscall' ? syscallStop(tr, 'syscall-exit') : null);

/** Dispatch of a traced task's syscall: `run` is the untraced dispatch. */
export function tracedSyscall(t: KTask, tr: Tracee, w: Uint32Array, run: (t: KTask, w: Uint32Array) => Outcome): Outcome {
  const e = t.engine;
  if (tr.reenter) tr.reenter = false;
  else if (tr.mode === 'syscall') {
    tr.origRax = BigInt.asIntN(64, e.sysArgs[0]);
    tr.sysRip = e.get('rip') - 2n;
    enterStop(tr, syscallStop(tr, 'syscall-enter'));
    t.stopRequested = true;
    return -E.ENOSYS;
  }
  tr.origRax = BigInt.asIntN(64, e.sysArgs[0]);
  const r = run(t, w);
  tr.recheck = false;
  if (tr.stop?.rewind) return r; // held at PTRACE_EVENT_SECCOMP: the call runs (or not) once resumed
  const ended = (): boolean => t.process.exitStatus !== null || t.threadExit;
  if (typeof r !== 'number') {
    return r.then((v) => {
      if (!ended()) enterLater(tr, exitStop(tr));
      return v;
    });
  }
  if (ended()) return r; // exit and exit_group never return: no exit stop
  if (t.newImage && r === 0) execed(t, tr);
  if (tr.event) {
    tr.eventMsg = tr.event.msg;
    enterStop(tr, eventStop(tr, tr.event.code));
    tr.event = null;
  }
  if (t.pending) {
    // a vfork parent: its exit stop (and PTRACE_EVENT_VFORK_DONE) come once the child has let go of the memory
    t.pending = t.pending.then((child) => {
      if (ended()) return child;
      if (tr.options & PTRACE_O.TRACEVFORKDONE) {
        tr.eventMsg = BigInt(child);
        enterStop(tr, eventStop(tr, PTRACE_EVENT.VFORK_DONE));
      }
      enterLater(tr, exitStop(tr));
      return child;
    });
  } else enterLater(tr, exitStop(tr));
  if (tr.stop) t.stopRequested = true;
  return r;
}

/** A traced execve succeeded: PTRACE_EVENT_EXEC with PTRACE_O_TRACEEXEC, else a SIGTRAP (ptrace_event). */
function execed(t: KTask, tr: Tracee): void {
  if (tr.options & PTRACE_O.TRACEEXEC) tr.event = { code: PTRACE_EVENT.EXEC, msg: BigInt(t.tid) };
  else postSignal(t, SIG.SIGTRAP, { code: 0, pid: t.process.pid, uid: t.creds.uid });
}

/**
 * A tracee made `child` (copy_process + ptrace_init_task): with the matching PTRACE_O_TRACE* option (or
 * CLONE_PTRACE) the child is traced by the same tracer and starts stopped, with SIGSTOP (or
 * PTRACE_EVENT_STOP when seized); the parent reports the event before its own syscall returns.
 */
export function tracedClone(t: KTask, child: KTask, flags: number, exitSignal: number): void {
  const tr = t.ptrace!;
  const [event, option] = flags & CLONE.VFORK ? [PTRACE_EVENT.VFORK, PTRACE_O.TRACEVFORK]
    : exitSignal !== SIG.SIGCHLD || flags & CLONE.THREAD ? [PTRACE_EVENT.CLONE, PTRACE_O.TRACECLONE]
      : [PTRACE_EVENT.FORK, PTRACE_O.TRACEFORK];
  if (flags & CLONE.UNTRACED || !(tr.options & option || flags & CLONE.PTRACE)) return;
  const ct = link(child, tr.tracer, tr.seized, tr.options);
  if (ct.seized) enterStop(ct, eventStop(ct, PTRACE_EVENT.STOP));
  else postSignal(child, SIG.SIGSTOP, { code: 0, pid: 0, uid: 0 });
  if (tr.options & option) tr.event = { code: event, msg: BigInt(child.tid) };
}

/**
 * SECCOMP_RET_TRACE (kernel/seccomp.c): a tracer with PTRACE_O_TRACESECCOMP sees PTRACE_EVENT_SECCOMP (the
 * filter's data as the event message) before the call runs; it may change or skip it (orig_rax -1). Without
 * one the call fails with ENOSYS. Undefined: the filters ran again after the stop, and the call goes ahead.
 */
export function seccompTrace(t: KTask, data: number): number | undefined {
  const tr = t.ptrace;
  if (tr?.recheck) return undefined;
  if (!tr || !(tr.options & PTRACE_O.TRACESECCOMP)) return -E.ENOSYS;
  tr.sysRip = t.engine.get('rip') - 2n;
  tr.eventMsg = BigInt(data);
  enterStop(tr, { ...eventStop(tr, PTRACE_EVENT.SECCOMP), rewind: true });
  t.stopRequested = true;
  return -E.ENOSYS;
}
