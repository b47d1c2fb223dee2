// SEM_UNDO (ipc/sem.c sem_undo_list): per process, one adjustment array per semaphore set it changed with
// SEM_UNDO. The list is not inherited by fork (a new process starts with none), survives execve, and is
// applied when the process exits (exit_sem). The sets themselves forget their undo arrays at removal.
import type { Process } from '../task.js';
import type { SemSet } from './sem.js';

const lists = new WeakMap<Process, Map<SemSet, Int32Array>>();

/** The caller's adjustments for `set`, made on first use (find_alloc_undo). */
export function undoFor(proc: Process, set: SemSet): Int32Array {
  let list = lists.get(proc);
  if (!list) lists.set(proc, (list = new Map()));
  let adj = list.get(set);
  if (!adj) {
    adj = new Int32Array(set.nsems);
    list.set(set, adj);
    set.undos.add(adj);
  }
  return adj;
}

/** The process's undo list (null until its first SEM_UNDO): what kcmp(KCMP_SYSVSEM) compares. */
export const semUndoList = (proc: Process): object | null => lists.get(proc) ?? null;

/** Process exit: every adjustment of a set still alive is applied, as exit_sem does. */
export function exitSemUndo(proc: Process): void {
  const list = lists.get(proc);
  if (!list) return;
  lists.delete(proc);
  for (const [set, adj] of list) {
    if (set.removed) continue;
    set.undos.delete(adj);
    set.applyUndo(adj, proc.pid);
  }
}
