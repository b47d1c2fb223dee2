// A process's end as its parent learns it (kernel/exit.c exit_notify): SIGCHLD (or the clone exit signal)
// with CLD_EXITED/KILLED/DUMPED, and at once reaped when the parent will never wait for it.
import type { KTask } from './thread.js';
import { reap, type KProcess } from './process.js';
import { SIG, SIG_IGN } from './signals.js';
import { CLD, SA, notifyParent } from './signal-deliver.js';

/** Tell the parent of t's ended process, and reap it when nobody will wait. */
export function reportExit(t: KTask): void {
  const proc = t.process;
  const parent = proc.parent;
  const st = proc.exitStatus ?? 0;
  const code = (st & 0x7f) === 0 ? CLD.EXITED : st & 0x80 ? CLD.DUMPED : CLD.KILLED;
  notifyParent(t, code, code === CLD.EXITED ? (st >> 8) & 0xff : st & 0x7f);
  if (!parent || autoReaps(parent)) reap(proc);
}

/** A parent that ignores SIGCHLD or set SA_NOCLDWAIT never sees zombies (wait(2) NOTES). */
export function autoReaps(p: KProcess): boolean {
  const a = p.sigactions[SIG.SIGCHLD];
  return a.handler === SIG_IGN || (a.flags & SA.NOCLDWAIT) !== 0n;
}
