// kcmp(2) (kernel/kcmp.c): whether two tasks share a kernel object, and an ordering between objects that is
// stable but reveals nothing (Linux orders obfuscated pointers; here each object gets a random key).
import { randomBytes } from 'node:crypto';
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { E, err } from '../kernel/errno.js';
import { mayPtrace } from '../kernel/task-lookup.js';
import { semUndoList } from '../kernel/ipc/sem-undo.js';
import { partial, type SyscallDef } from './types.js';

const KCMP = { FILE: 0, VM: 1, FILES: 2, FS: 3, SIGHAND: 4, IO: 5, SYSVSEM: 6, EPOLL_TFD: 7 } as const;

const keys = new WeakMap<object, bigint>();
function keyOf(o: object): bigint {
  let k = keys.get(o);
  if (k === undefined) { k = randomBytes(8).readBigUInt64LE(); keys.set(o, k); }
  return k;
}

/** kcmp_ptr: 0 the same object, 1 or 2 as the first orders before or after the second. */
function order(a: object | null, b: object | null): number {
  if (a === b) return 0;
  const ka = a ? keyOf(a) : 0n, kb = b ? keyOf(b) : 0n;
  return ka < kb ? 1 : 2;
}

/** A task by pid for kcmp: find_task_by_vpid, where 0 names nobody. */
function task(t: Task, pid: number): KTask {
  const o = pid > 0 ? t.kernel.tasks.get(pid) as KTask | undefined : undefined;
  if (!o || o.dead) throw err(E.ESRCH);
  return o;
}

function kcmp(t: Task, pid1: number, pid2: number, type: number, idx1: number, idx2: number): number {
  const a = task(t, pid1), b = task(t, pid2);
  if (!mayPtrace(t, a) || !mayPtrace(t, b)) throw err(E.EPERM);
  switch (type) {
    case KCMP.FILE: {
      if (!a.files.has(idx1) || !b.files.has(idx2)) throw err(E.EBADF);
      return order(a.files.get(idx1), b.files.get(idx2));
    }
    case KCMP.VM: return order(a.process.mm, b.process.mm);
    case KCMP.FILES: return order(a.files, b.files);
    case KCMP.FS: return order(a.fs, b.fs);
    case KCMP.SIGHAND: return order(a.process.sigactions, b.process.sigactions);
    // each task its own I/O context: CLONE_IO is not provided
    case KCMP.IO: return order(a, b);
    // the SEM_UNDO lists (NULL, and so equal, until a first semop with SEM_UNDO); threads share their process's
    case KCMP.SYSVSEM: return order(semUndoList(a.process), semUndoList(b.process));
    case KCMP.EPOLL_TFD: throw err(E.EOPNOTSUPP, 'kcmp(KCMP_EPOLL_TFD) is not provided');
    default: throw err(E.EINVAL);
  }
}

export const kcmpSyscalls: SyscallDef[] = [
  partial(312, 'kcmp', ['int', 'int', 'int', 'u64', 'u64'], 'KCMP_EPOLL_TFD: EOPNOTSUPP; KCMP_IO compares tasks (CLONE_IO is not provided)', kcmp),
];
