// Sending signals to processes and process groups (kill(2)'s targets, the tty's ^C, the daemon's
// forwarding of host signals). What happens on arrival is decided by the target (signal-deliver.ts).
import { CAP, capable } from './capability.js';
import type { Kernel } from './kernel.js';
import type { Task } from './task.js';
import type { KTask } from './thread.js';
import type { KProcess } from './process.js';
import { E, err } from './errno.js';
import { NSIG, SIG } from './signals.js';
import { postGroupSignal, type SigInfo } from './signal-deliver.js';

const KERNEL_INFO: SigInfo = { code: 0x80, pid: 0, uid: 0 }; // SI_KERNEL: sent by the kernel itself

/** One task per process (the leader) for the processes matching `match`. */
function leaders(kernel: Kernel, match: (t: KTask) => boolean): KTask[] {
  const seen = new Map<number, KTask>();
  for (const task of kernel.tasks.values()) {
    const t = task as KTask;
    // a process SIGKILL ended and wait(2) reaped is gone even while its threads are still being torn down
    if (!t.dead && !t.process.reaped && !seen.has(t.process.pid) && match(t)) seen.set(t.process.pid, t);
  }
  return [...seen.values()];
}

/** kill_ok_by_cred: CAP_KILL, or the sender's real/effective uid is the target's real or saved uid. */
function mayKill(from: Task | undefined, to: KTask, sig: number): boolean {
  if (!from || capable(from.creds, CAP.KILL)) return true;
  const s = from.creds, d = to.creds;
  if (sig === SIG.SIGCONT && from.process.sid === to.process.sid) return true;
  return s.euid === d.suid || s.euid === d.uid || s.uid === d.suid || s.uid === d.uid;
}

/**
 * Deliver to every target process; ESRCH when there are none, EPERM when none may be signalled, EAGAIN when
 * a queued signal found no room (RLIMIT_SIGPENDING).
 */
function sendTo(targets: KTask[], sig: number, from: Task | undefined, info: SigInfo): void {
  if (sig < 0 || sig > NSIG) throw err(E.EINVAL);
  if (!targets.length) throw err(E.ESRCH);
  const allowed = targets.filter((t) => mayKill(from, t, sig));
  if (!allowed.length) throw err(E.EPERM);
  let queued = true;
  if (sig) for (const t of allowed) queued = postGroupSignal(t, sig, info) && queued;
  if (!queued) throw err(E.EAGAIN);
}

/**
 * A process-directed signal the kernel itself sends (timers). False when the process has no live thread.
 */
export function postToProcess(p: KProcess, sig: number, info: SigInfo): boolean {
  const live = [...p.threads].filter((o) => !o.dead);
  if (!live.length || p.exitStatus !== null) return false;
  postGroupSignal(live.find((o) => o.tid === p.pid) ?? live[0], sig, info);
  return true;
}

/** Signal one process (kill(pid, sig) with pid > 0); sig 0 only checks. */
export function sendSignal(kernel: Kernel, pid: number, sig: number, from?: Task, info = KERNEL_INFO): void {
  const targets = leaders(kernel, (t) => t.process.pid === pid);
  // a zombie is still there until reaped: the signal is dropped and kill(2) succeeds (kill_pid_info)
  if (!targets.length && isZombie(kernel, pid)) { if (sig < 0 || sig > NSIG) throw err(E.EINVAL); return; }
  sendTo(targets, sig, from, info);
}

/** An unreaped zombie with that pid: a child of a live process (init reaps its own at once). */
function isZombie(kernel: Kernel, pid: number): boolean {
  for (const t of kernel.tasks.values()) {
    for (const c of (t as KTask).process.children) if (c.pid === pid && c.zombie && !c.reaped) return true;
  }
  return false;
}

/**
 * Signal the one process a pidfd names (kill_pid_info on its struct pid): its live threads as kill(2) would;
 * a zombie still takes the signal (and drops it); once reaped, ESRCH.
 */
export function sendSignalToProcess(p: KProcess, sig: number, from: Task, info: SigInfo): void {
  if (p.reaped) throw err(E.ESRCH);
  if (p.threads.size) return sendTo(leaders(from.kernel, (t) => t.process === p), sig, from, info);
  if (sig < 0 || sig > NSIG) throw err(E.EINVAL);
}

/** Signal every process of a process group (kill(-pgid, sig), the terminal's ^C). */
export function sendSignalToGroup(kernel: Kernel, pgid: number, sig: number, from?: Task, info = KERNEL_INFO): void {
  sendTo(leaders(kernel, (t) => t.process.pgid === pgid), sig, from, info);
}

/** kill(-1, sig): every process but init and the caller. */
export function sendSignalToAll(kernel: Kernel, sig: number, from?: Task, info = KERNEL_INFO): void {
  sendTo(leaders(kernel, (t) => t.process.pid > 1 && t.process !== from?.process), sig, from, info);
}
