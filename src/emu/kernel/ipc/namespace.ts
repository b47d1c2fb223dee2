// The instance's IPC namespace (ipc/namespace.c): its limits and one table per System V kind. Objects
// live here, not in processes: they outlive their makers and go away with the instance.
import { IpcIds, type IpcObject } from './ids.js';
import { IpcLimits } from './limits.js';
import { SEM_PROC, type SemSet } from './sem.js';
import { MSG_PROC, type MsgQueue } from './msg.js';
import { MqNames } from './mqueue.js';
import { SHM_PROC, type ShmSegment } from './shm.js';

export class IpcNamespace {
  readonly limits = new IpcLimits();
  /** The System V kinds by name (sem, msg, shm): /proc/sysvipc has one file per entry. */
  readonly sysv = new Map<string, IpcIds<IpcObject>>();
  readonly sem = this.register(new IpcIds<SemSet>('sem', () => this.limits.semmni, SEM_PROC));
  readonly msg = this.register(new IpcIds<MsgQueue>('msg', () => this.limits.msgmni, MSG_PROC));
  /** POSIX message queues by name (the mqueue filesystem's root). */
  readonly mq = new MqNames(this.limits);
  readonly shm = this.register(new IpcIds<ShmSegment>('shm', () => this.limits.shmmni, SHM_PROC));

  /** Semaphores in all sets (what semmns limits; SEM_INFO's semaem). */
  get usedSems(): number {
    let n = 0;
    for (const s of this.sem) n += s.nsems;
    return n;
  }

  /** Pages of all shm segments (shm_tot: what shmall limits). */
  get shmPages(): number {
    let n = 0;
    for (const s of this.shm) n += s.pages;
    return n;
  }

  /** Add a kind's table (a new kind is one line in this class plus its object type). */
  private register<T extends IpcObject>(ids: IpcIds<T>): IpcIds<T> {
    this.sysv.set(ids.name, ids as unknown as IpcIds<IpcObject>);
    return ids;
  }
}
