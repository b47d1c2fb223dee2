// Job control on a terminal (drivers/tty/tty_jobctrl.c): background access (__tty_check_change), the
// controlling terminal (TIOCSCTTY, TIOCNOTTY, tty_open_proc_set_tty), the foreground group (TIOC[GS]PGRP).
import { CAP, capable } from '../../kernel/capability.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Process, Task } from '../../kernel/task.js';
import { E, err, LinuxError } from '../../kernel/errno.js';
import { SIG, SIG_IGN } from '../../kernel/signals.js';
import { ERESTARTSYS } from '../../kernel/wait-queue.js';
import { controllingTty, sessionAlive, ttysOf } from './registry.js';
import { ttySignal } from './signals.js';
import type { Tty } from './tty.js';

/** Distinct processes of the kernel. */
function processes(kernel: Kernel): Process[] {
  const seen = new Set<Process>();
  for (const t of kernel.tasks.values()) if (t.process.exitStatus == null) seen.add(t.process);
  return [...seen];
}

/** is_ignored(): the signal is ignored or blocked by the caller. */
function ignored(t: Task, sig: number): boolean {
  return t.process.sigactions?.[sig]?.handler === SIG_IGN || ((t.sigmask ?? 0n) >> BigInt(sig - 1) & 1n) === 1n;
}

/** will_become_orphaned_pgrp: no member has a parent in another group of the same session (init excepted). */
export function pgrpOrphaned(kernel: Kernel, pgid: number): boolean {
  const all = processes(kernel);
  for (const p of all) {
    if (p.pgid !== pgid || p.ppid <= 1) continue;
    const parent = all.find((q) => q.pid === p.ppid);
    if (parent && parent.pgid !== pgid && parent.sid === p.sid) return false;
  }
  return true;
}

/** The session of a process group (ESRCH when the group is empty). */
function sessionOfPgrp(kernel: Kernel, pgid: number): number {
  const p = processes(kernel).find((q) => q.pgid === pgid);
  if (!p) throw err(E.ESRCH);
  return p.sid;
}

/**
 * __tty_check_change: a background process using its controlling terminal. `sig` is SIGTTOU (writes with
 * TOSTOP, termios changes) or SIGTTIN (reads). Ignored/blocked: writes pass, reads get EIO; an orphaned
 * group gets EIO; otherwise the group is signalled and the call restarts once it is continued.
 */
export function checkChange(tty: Tty, t: Task | null, sig: number): void {
  if (!t) return;
  adopt(tty, t);
  const p = t.process;
  if (tty.session !== p.sid || tty.pgrp === null || tty.pgrp === p.pgid) return;
  if (controllingTty(t.kernel, p) !== tty) return;
  if (ignored(t, sig)) {
    if (sig === SIG.SIGTTIN) throw err(E.EIO);
    return;
  }
  if (pgrpOrphaned(t.kernel, p.pgid)) throw err(E.EIO);
  ttySignal.toGroup(t.kernel, p.pgid, sig);
  throw new LinuxError(ERESTARTSYS);
}

/** Session terminals become the controlling terminal of the first session leader that uses them. */
export function adopt(tty: Tty, t: Task): void {
  if (!tty.adoptLeader || tty.session !== null || tty.hungUp) return;
  const p = t.process;
  if (p.pid !== p.sid || controllingTty(t.kernel, p)) return;
  tty.adoptLeader = false;
  tty.session = p.sid;
  tty.pgrp = p.pgid;
}

/** tty_open_proc_set_tty: opening a terminal without O_NOCTTY makes it a session leader's controlling tty. */
export function openSetCtty(tty: Tty, t: Task): void {
  const p = t.process;
  if (p.pid === p.sid && tty.session === null && !tty.hungUp && !controllingTty(t.kernel, p)) {
    tty.session = p.sid;
    tty.pgrp = p.pgid;
  }
}

/** TIOCSCTTY: a session leader without one takes `tty`; stealing it from another session needs root and arg 1. */
export function tiocsctty(tty: Tty, t: Task, readable: boolean, arg: number): number {
  const p = t.process;
  const mine = controllingTty(t.kernel, p);
  if (mine === tty && p.pid === p.sid) return 0;
  if (p.pid !== p.sid || mine) throw err(E.EPERM);
  const root = capable(t.creds, CAP.SYS_ADMIN);
  if (tty.session !== null && sessionAlive(t.kernel, tty.session)) {
    if (arg !== 1 || !root) throw err(E.EPERM);
  }
  if (!readable && !root) throw err(E.EPERM);
  tty.session = p.sid;
  tty.pgrp = p.pgid;
  return 0;
}

/** TIOCNOTTY: a session leader gives its terminal up (the foreground group gets SIGHUP and SIGCONT). */
export function tiocnotty(tty: Tty, t: Task): number {
  const p = t.process;
  if (controllingTty(t.kernel, p) !== tty) throw err(E.ENOTTY);
  if (p.pid === p.sid) disassociate(tty, false);
  return 0; // a non-leader's own loss of the terminal is not modelled (the terminal belongs to the session)
}

/** disassociate_ctty: SIGHUP (and SIGCONT unless the leader is exiting) to the foreground group; no session. */
function disassociate(tty: Tty, onExit: boolean): void {
  const pgrp = tty.pgrp;
  tty.session = null;
  tty.pgrp = null;
  if (pgrp !== null) {
    ttySignal.toGroup(tty.kernel, pgrp, SIG.SIGHUP);
    if (!onExit) ttySignal.toGroup(tty.kernel, pgrp, SIG.SIGCONT);
  }
  tty.changed();
}

/** For the exit path: a session leader exited (do_exit → disassociate_ctty(1)). */
export function sessionLeaderExited(kernel: Kernel, sid: number): void {
  for (const tty of ttysOf(kernel)) if (tty.session === sid) disassociate(tty, true);
}

/** TIOCSPGRP (tiocspgrp): only on one's controlling terminal, to a group of one's own session. */
export function tiocspgrp(tty: Tty, t: Task, pgrp: number): number {
  try { checkChange(tty, t, SIG.SIGTTOU); } catch (e) {
    if (e instanceof LinuxError && e.errno === E.EIO) throw err(E.ENOTTY);
    throw e;
  }
  const p = t.process;
  if (controllingTty(t.kernel, p) !== tty) throw err(E.ENOTTY);
  if (pgrp < 0) throw err(E.EINVAL);
  if (sessionOfPgrp(t.kernel, pgrp) !== p.sid) throw err(E.EPERM);
  tty.pgrp = pgrp;
  tty.changed(); // readers stopped in the background (a host program's relay) look again
  return 0;
}

/** TIOCGPGRP / TIOCGSID through the slave need it to be the caller's controlling terminal. */
export function checkIsCtty(tty: Tty, t: Task, viaMaster: boolean): void {
  adopt(tty, t);
  if (!viaMaster && controllingTty(t.kernel, t.process) !== tty) throw err(E.ENOTTY);
}
