// The terminals of one kernel and which session each controls (tty->ctrl.session). A process's
// controlling terminal is the one its session holds (signal->tty is per session in practice), so fork,
// setsid and exit need no bookkeeping here: a new session simply has none.
import type { Kernel } from '../../kernel/kernel.js';
import type { Process } from '../../kernel/task.js';
import type { Tty } from './tty.js';

const registries = new WeakMap<object, Set<Tty>>();

export function ttysOf(kernel: Kernel): Set<Tty> {
  let s = registries.get(kernel);
  if (!s) registries.set(kernel, (s = new Set()));
  return s;
}

/** Whether the session's leader still runs (its main thread's tid is the session id). */
export function sessionAlive(kernel: Kernel, sid: number): boolean {
  const t = kernel.tasks.get(sid);
  return !!t && t.process.pid === sid && t.process.exitStatus == null;
}

/** The controlling terminal of `p`'s session, or null. A session whose leader is gone loses its terminal. */
export function controllingTty(kernel: Kernel, p: Process): Tty | null {
  for (const tty of ttysOf(kernel)) {
    if (tty.session !== p.sid || tty.hungUp) continue;
    if (!sessionAlive(kernel, p.sid)) { tty.session = null; tty.pgrp = null; return null; }
    return tty;
  }
  return null;
}
