// System V semaphore sets (ipc/sem.c): values, last pids, the atomic multi-operation semop with its waiters,
// and the SEM_UNDO adjustments that process exit applies (sem-undo.ts).
import { E, err } from '../errno.js';
import { WaitQueue, waitOn } from '../wait-queue.js';
import { IPC_NOWAIT, IpcObject, col } from './ids.js';
import { ipcNow, type IpcPerm } from './perm.js';
import { undoFor } from './sem-undo.js';
import type { Process } from '../task.js';

/** Largest semaphore value, and largest undo adjustment (SEMVMX, SEMAEM). */
export const SEMVMX = 32767, SEMAEM = SEMVMX;
export const SEM_UNDO = 0x1000;

/** One struct sembuf: semaphore number, operation, flags (IPC_NOWAIT, SEM_UNDO). */
export interface Sop { num: number; op: number; flg: number; }

/** A task parked in semop, and the operation it waits on now (what GETNCNT/GETZCNT count, as count_semcnt). */
interface SemWaiter { blocking: Sop; }

export class SemSet extends IpcObject {
  readonly vals: Int32Array;
  readonly pids: Int32Array;
  otime = 0;
  /** Notified when values change or the set goes: parked semops try again. */
  readonly queue = new WaitQueue();
  private readonly waiters = new Set<SemWaiter>();
  /** The semadj arrays of processes' undo entries for this set (SETVAL/SETALL reset them). */
  readonly undos = new Set<Int32Array>();

  constructor(perm: IpcPerm, nsems: number) {
    super(perm, ipcNow());
    this.vals = new Int32Array(nsems);
    this.pids = new Int32Array(nsems);
  }

  get nsems(): number { return this.vals.length; }

  destroy(): void {
    this.undos.clear();
    this.queue.notify();
  }

  /** GETNCNT / GETZCNT: tasks whose blocking operation on `num` waits for an increase / for zero. */
  count(num: number, zero: boolean): number {
    let n = 0;
    for (const w of this.waiters) if (w.blocking.num === num && (zero ? w.blocking.op === 0 : w.blocking.op < 0)) n++;
    return n;
  }

  /** SETVAL / SETALL: new values from `pid`, every undo adjustment of them dropped, waiters re-checked. */
  set(nums: number[], values: number[], pid: number): void {
    if (values.some((v) => v < 0 || v > SEMVMX)) throw err(E.ERANGE);
    nums.forEach((n, i) => {
      this.vals[n] = values[i];
      this.pids[n] = pid;
      for (const u of this.undos) u[n] = 0;
    });
    this.ctime = ipcNow();
    this.queue.notify();
  }

  /** A process's undo adjustments applied at its exit (exit_sem): values clamped to [0, SEMVMX]. */
  applyUndo(adj: Int32Array, pid: number): void {
    for (let n = 0; n < adj.length; n++) {
      if (!adj[n]) continue;
      this.vals[n] = Math.min(SEMVMX, Math.max(0, this.vals[n] + adj[n]));
      this.pids[n] = pid;
    }
    this.queue.notify();
  }

  /**
   * semop/semtimedop once the caller's access is checked: apply all of `sops` at once or none, waiting
   * (until `timeoutMs`, EAGAIN) while one would block; IPC_NOWAIT on that operation makes it EAGAIN now.
   * A signal ends the wait with EINTR (never restarted), removal of the set with EIDRM.
   */
  semop(proc: Process, sops: Sop[], timeoutMs: number | undefined): number | Promise<number> {
    const waiter: SemWaiter = { blocking: sops[0] };
    const attempt = (): number | null => {
      if (this.removed) { this.waiters.delete(waiter); throw err(E.EIDRM); }
      const blocking = this.perform(proc, sops);
      if (blocking) { waiter.blocking = blocking; this.waiters.add(waiter); return null; }
      this.waiters.delete(waiter);
      return 0;
    };
    const leave = (): null => { this.waiters.delete(waiter); return null; };
    return waitOn([this.queue], attempt, {
      timeoutMs, interruptErrno: E.EINTR, onInterrupt: leave,
      onTimeout: () => { leave(); throw err(E.EAGAIN); },
    });
  }

  /** perform_atomic_semop: the operations in order on scratch values; the one that would block, or null once applied. */
  private perform(proc: Process, sops: Sop[]): Sop | null {
    const undo = sops.some((s) => s.flg & SEM_UNDO) ? undoFor(proc, this) : null;
    const vals = new Map<number, number>(), adj = new Map<number, number>();
    for (const s of sops) {
      const cur = vals.get(s.num) ?? this.vals[s.num];
      if ((s.op === 0 && cur !== 0) || cur + s.op < 0) {
        if (s.flg & IPC_NOWAIT) throw err(E.EAGAIN);
        return s;
      }
      if (cur + s.op > SEMVMX) throw err(E.ERANGE);
      if (s.flg & SEM_UNDO && s.op) {
        const u = (adj.get(s.num) ?? undo![s.num]) - s.op;
        if (u < -SEMAEM - 1 || u > SEMAEM) throw err(E.ERANGE);
        adj.set(s.num, u);
      }
      vals.set(s.num, cur + s.op);
    }
    for (const [n, v] of vals) { this.vals[n] = v; this.pids[n] = proc.pid; }
    for (const [n, u] of adj) undo![n] = u;
    this.otime = ipcNow();
    if (sops.some((s) => s.op !== 0)) this.queue.notify();
    return null;
  }
}

/** /proc/sysvipc/sem (sysvipc_sem_proc_show). */
export const SEM_PROC = {
  header: '       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n',
  line: (s: SemSet): string => `${col(s.perm.key, 10)} ${col(s.id, 10)}  ${col(s.perm.mode, 4, 8)} ${col(s.nsems, 10)} ` +
    `${col(s.perm.uid, 5)} ${col(s.perm.gid, 5)} ${col(s.perm.cuid, 5)} ${col(s.perm.cgid, 5)} ${col(s.otime, 10)} ${col(s.ctime, 10)}\n`,
};
