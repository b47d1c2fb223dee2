// Signal arrival and delivery (kernel/signal.c): posting makes a signal pending on its target (or acts
// at once: SIGKILL, SIGCONT, discarding ignored ones); delivery happens when the target next returns to
// user mode — the scheduler calls deliverSignals() before running a task whose signal state changed.
import type { KTask } from './thread.js';
import type { KProcess } from './process.js';
import { E, LinuxError } from './errno.js';
import { SIG, SIG_DFL, SIG_IGN, defaultAction, signaledStatus } from './signals.js';
import { blockers, ERESTARTNOHAND, ERESTARTNOINTR, ERESTARTSYS, ERESTART_RESTARTBLOCK } from './wait-queue.js';
import { pushFrame } from './signal-frame.js';
import { SIGRTMIN_KERNEL, sigbit } from './sig-pending.js';
import { RLIMIT } from './rlimits.js';
import { groupStopTraced, injectedSignal, interruptTrap, killStopped, tracedSignal } from './ptrace-signal.js';
import { retrap } from './ptrace.js';

const SI_USER = 0;

/**
 * The siginfo fields a sender fills (si_code, si_pid, si_uid; si_addr for faults; si_status for SIGCHLD;
 * si_value for sigqueue and timers, with si_timerid and si_overrun for SI_TIMER). `dequeued` runs when the
 * signal is taken off the pending set (a POSIX timer learns its overrun was reported).
 */
export interface SigInfo {
  code: number; pid: number; uid: number; addr?: number; status?: number;
  value?: bigint; timerid?: number; overrun?: number; dequeued?: () => void;
  /** A seccomp SIGSYS: si_syscall, si_arch, and the filter's data in si_errno. */
  syscall?: number; arch?: number; errno?: number;
}

export const SA = { NOCLDSTOP: 1n, NOCLDWAIT: 2n, SIGINFO: 4n, RESTORER: 0x04000000n, ONSTACK: 0x08000000n,
  RESTART: 0x10000000n, NODEFER: 0x40000000n, RESETHAND: 0x80000000n } as const;
export const CLD = { EXITED: 1, KILLED: 2, DUMPED: 3, TRAPPED: 4, STOPPED: 5, CONTINUED: 6 } as const;

const STOP_MASK = sigbit(SIG.SIGSTOP) | sigbit(SIG.SIGTSTP) | sigbit(SIG.SIGTTIN) | sigbit(SIG.SIGTTOU);
export const UNBLOCKABLE = sigbit(SIG.SIGKILL) | sigbit(SIG.SIGSTOP);
/** Faults are delivered before anything else pending (kernel/signal.c SYNCHRONOUS_MASK). */
const SYNCHRONOUS = sigbit(SIG.SIGSEGV) | sigbit(SIG.SIGBUS) | sigbit(SIG.SIGILL) | sigbit(SIG.SIGTRAP) |
  sigbit(SIG.SIGFPE) | sigbit(SIG.SIGSYS);

/** A signal whose action is to ignore it (SIG_IGN, or SIG_DFL of an ignore-by-default signal). */
function ignored(p: KProcess, sig: number): boolean {
  const h = p.sigactions[sig].handler;
  return h === SIG_IGN || (h === SIG_DFL && (defaultAction(sig) === 'ignore' || (sig === SIG.SIGCONT)));
}

/** Signals queued (siginfos held) for processes of real uid `uid`: what RLIMIT_SIGPENDING bounds (per user). */
export function queuedSignals(kernel: KTask['kernel'], uid: number): number {
  const procs = new Set<KProcess>();
  let n = 0;
  for (const task of kernel.tasks.values()) {
    const t = task as KTask;
    if (t.creds.uid !== uid) continue;
    n += t.sigPending.count;
    procs.add(t.process);
  }
  for (const p of procs) n += p.sharedPending.count;
  return n;
}

/**
 * Room to queue a siginfo (__sigqueue_alloc): standard signals the kernel or kill(2) sends (si_code >= 0) and
 * POSIX timers' (preallocated) always have it; others count against the target's RLIMIT_SIGPENDING.
 */
function queueRoom(t: KTask, sig: number, info: SigInfo): boolean {
  if ((sig < SIGRTMIN_KERNEL && info.code >= 0) || info.timerid !== undefined) return true;
  return BigInt(queuedSignals(t.kernel, t.creds.uid)) < t.process.rlimits[RLIMIT.SIGPENDING].cur;
}

/**
 * Make `sig` pending (or act at once: SIGKILL, SIGCONT, discarding ignored ones) on thread `t`, or on its
 * process when `group` (kernel/signal.c send_signal_locked). False when a realtime signal other than kill(2)'s
 * finds no room in the queue (the sender's EAGAIN); a standard one already pending is lost, as in Linux.
 */
function post(t: KTask, sig: number, info: SigInfo, group: boolean): boolean {
  const p = t.process;
  if (p.exitStatus !== null || p.unkillable) return true;
  if (p.hostProxy) { p.hostProxy.signal(t, sig); return true; } // a host program's proxy: the host program takes it
  const bit = sigbit(sig);
  if (sig === SIG.SIGKILL) {
    t.exitGroup(signaledStatus(sig));
    continueProcess(t, false);
    killStopped(t);
    blockers.get(t)?.interrupt();
    return true;
  }
  if (bit & STOP_MASK) flushAll(p, sigbit(SIG.SIGCONT)); // prepare_signal: a stop cancels a pending SIGCONT
  if (sig === SIG.SIGCONT) {
    flushAll(p, STOP_MASK);
    continueProcess(t, true);
  }
  // discarded at generation, unless a tracer wants to see it (sig_ignored)
  if (ignored(p, sig) && !(t.sigmask & bit) && !(t.sigwaitSet & bit) && !t.ptrace) return true;
  const pending = group ? p.sharedPending : t.sigPending;
  if (sig < SIGRTMIN_KERNEL && pending.has(sig)) return true; // legacy_queue
  if (queueRoom(t, sig, info)) pending.add(sig, info);
  else if (sig >= SIGRTMIN_KERNEL && info.code !== SI_USER) return false;
  else pending.add(sig, null);
  for (const o of p.threads) o.sigQueue.notify(); // sigtimedwait and signalfd readers of any thread
  const target = group ? wanting(p, t, bit) : (t.sigmask & bit) ? null : t;
  if (target) {
    target.sigDirty = true;
    blockers.get(target)?.interrupt();
  }
  return true;
}

/** The thread to take a process-directed signal (complete_signal): `first` if it does not block it, else another. */
function wanting(p: KProcess, first: KTask, bit: bigint): KTask | null {
  if (!(first.sigmask & bit) && !first.dead) return first;
  for (const o of p.threads) if (!(o.sigmask & bit) && !o.dead) return o;
  return null;
}

function flushAll(p: KProcess, mask: bigint): void {
  p.sharedPending.flush(mask);
  for (const o of p.threads) o.sigPending.flush(mask);
}

/** A signal to one thread (tgkill, faults); see post(). */
export const postSignal = (t: KTask, sig: number, info: SigInfo): boolean => post(t, sig, info, false);
/** A signal to the process `t` belongs to (kill, SIGCHLD, timers, the tty); see post(). */
export const postGroupSignal = (t: KTask, sig: number, info: SigInfo): boolean => post(t, sig, info, true);

/**
 * A signal the task cannot refuse (a CPU fault): if blocked or ignored, the action becomes the default
 * and the signal is unblocked (kernel/signal.c force_sig_info).
 */
export function forceSignal(t: KTask, sig: number, info: SigInfo): void {
  const act = t.process.sigactions[sig];
  const bit = sigbit(sig);
  if (act.handler === SIG_IGN || (t.sigmask & bit)) {
    t.process.sigactions[sig] = { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
    t.sigmask &= ~bit;
  }
  postSignal(t, sig, info);
}

/** SIGCONT: a stopped process runs again and its parent hears of it (CLD_CONTINUED). */
export function continueProcess(t: KTask, notify: boolean): void {
  const p = t.process;
  if (!p.stopSig) return;
  p.stopSig = 0;
  for (const o of p.threads) if (o.ptrace?.listening) retrap(o.ptrace); // PTRACE_LISTEN ends with the group stop
  if (notify) { p.waitEvent = 'continued'; notifyParent(t, CLD.CONTINUED, SIG.SIGCONT); }
  for (const t of p.stoppedTasks) t.kernel.scheduler.wake(t);
  p.stoppedTasks.clear();
}

/** Stop the whole process (do_signal_stop): its tasks stay off the run queue until SIGCONT. */
export function stopProcess(t: KTask, sig: number): void {
  t.process.stopSig = sig;
  t.process.waitEvent = 'stopped';
  notifyParent(t, CLD.STOPPED, sig);
}

/** Tell the parent of t's process that it changed state: wait(2) wakers, and SIGCHLD (or the clone exit
 * signal) unless SA_NOCLDSTOP asks not to hear of stops. */
export function notifyParent(t: KTask, code: number, status: number): void {
  const p = t.process;
  const parent = p.parent;
  if (!parent) return;
  parent.childChanged();
  const act = parent.sigactions[SIG.SIGCHLD];
  if ((code === CLD.STOPPED || code === CLD.CONTINUED) && (act.flags & SA.NOCLDSTOP)) return;
  const sig = code === CLD.STOPPED || code === CLD.CONTINUED ? SIG.SIGCHLD : p.exitSignal;
  const leader = t.kernel.tasks.get(parent.pid) as KTask | undefined;
  if (leader && sig) postGroupSignal(leader, sig, { code, pid: p.pid, uid: t.creds.uid, status });
}

/** A process group none of whose members has a parent in another group of the same session (POSIX). */
function orphanedGroup(t: KTask): boolean {
  const { pgid, sid } = t.process;
  for (const other of t.kernel.tasks.values()) {
    const q = other.process as KProcess;
    if (q.pgid !== pgid || !q.parent) continue;
    if (q.parent.pgid !== pgid && q.parent.sid === sid) return false;
  }
  return true;
}

/** The lowest-numbered deliverable signal, faults first. */
function pick(ready: bigint): number {
  const sync = ready & SYNCHRONOUS;
  const set = sync || ready;
  let sig = 1;
  while (!(set & sigbit(sig))) sig++;
  return sig;
}

/**
 * Take the next pending signal of `mask` off the task (dequeue_signal): its own first, then its process's;
 * faults first, then the lowest number. Delivery, rt_sigtimedwait and signalfd all take signals this way.
 */
export function dequeueSignal(t: KTask, mask: bigint): { sig: number; info: SigInfo } | null {
  for (const pending of [t.sigPending, t.process.sharedPending]) {
    const ready = pending.bits & mask;
    if (!ready) continue;
    const sig = pick(ready);
    pending.peek(sig)?.dequeued?.(); // still pending while its sender brings it up to date
    return { sig, info: pending.take(sig) };
  }
  return null;
}

/** What the task does next: run (possibly in a handler), or it has exited or stopped. */
export type Delivery = 'run' | 'exit' | 'stop';

/**
 * Deliver pending unblocked signals (get_signal + handle_signal). For each caught one a frame is pushed
 * (several nest); a syscall interrupted with ERESTART* is restarted or fails with EINTR as Linux decides.
 */
export function deliverSignals(t: KTask): Delivery {
  t.sigDirty = false;
  const p = t.process;
  let handled = false;
  if (t.ptrace?.trapPending) return interruptTrap(t), 'stop';
  const next = (): { sig: number; info: SigInfo; injected?: boolean } | null =>
    (t.ptrace && injectedSignal(t)) || dequeueSignal(t, ~t.sigmask);
  for (let n = next(); n; n = next()) {
    const { sig, info } = n;
    // a tracee stops at each signal (signal-delivery-stop); its tracer decides what is delivered
    if (t.ptrace && !n.injected) { tracedSignal(t, sig, info); return 'stop'; }
    const act = p.sigactions[sig];
    if (act.handler === SIG_IGN) continue;
    if (act.handler === SIG_DFL) {
      const d = defaultAction(sig);
      if (d === 'ignore' || d === 'cont') continue;
      if (d === 'stop') {
        if (sig !== SIG.SIGSTOP && orphanedGroup(t)) continue; // POSIX: no job-control stops when orphaned
        stopProcess(t, sig);
        if (t.ptrace) groupStopTraced(t, sig);
        return finishSyscall(t, null), 'stop';
      }
      t.exitGroup(signaledStatus(sig));
      return 'exit';
    }
    if (!handled) finishSyscall(t, act.flags);
    const oldmask = t.savedMask ?? t.sigmask;
    t.savedMask = null;
    try {
      pushFrame(t, sig, info, act.handler, act.restorer, oldmask,
        act.flags & SA.ONSTACK ? t.altstack : null, faultTrapno(sig));
    } catch (e) {
      if (!(e instanceof LinuxError)) throw e;
      if (t.kernel.strace) t.kernel.log(`[${t.tid}] --- no room for the signal ${sig} frame: SIGSEGV ---`);
      t.exitGroup(signaledStatus(SIG.SIGSEGV)); // no room for the frame: force_sigsegv
      return 'exit';
    }
    t.sigmask = (t.sigmask | act.mask | (act.flags & SA.NODEFER ? 0n : sigbit(sig))) & ~UNBLOCKABLE;
    if (act.flags & SA.RESETHAND) p.sigactions[sig] = { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
    handled = true;
  }
  if (!handled) finishSyscall(t, null);
  return 'run';
}

const NR_RESTART_SYSCALL = 219;

const faultTrapno = (sig: number): number => (sig === SIG.SIGSEGV || sig === SIG.SIGBUS ? 14 : 0);

/**
 * The result of a syscall that a signal interrupted (t.restartCode): restart it (RIP back onto the
 * SYSCALL, RAX = its number) or make it fail with EINTR. `flags` are the handler's, null when none ran.
 */
function finishSyscall(t: KTask, flags: bigint | null): void {
  const code = t.restartCode;
  t.restartCode = 0;
  if (!code) return;
  const restart = code === ERESTARTNOINTR || flags === null ||
    (code === ERESTARTSYS && (flags & SA.RESTART) !== 0n);
  if (restart) {
    if (t.savedMask !== null && flags === null) { t.sigmask = t.savedMask; t.savedMask = null; }
    t.engine.set('rip', t.engine.get('rip') - 2n);
    // ERESTART_RESTARTBLOCK with a restart block: the call goes on as restart_syscall (signal.c)
    t.engine.set('rax', code === ERESTART_RESTARTBLOCK && t.restartBlock ? NR_RESTART_SYSCALL : t.sysNr);
  } else {
    t.restartBlock = null;
    t.engine.set('rax', -E.EINTR);
  }
}

export const isRestartCode = (v: number): boolean =>
  v === -ERESTARTSYS || v === -ERESTARTNOINTR || v === -ERESTARTNOHAND || v === -ERESTART_RESTARTBLOCK;
