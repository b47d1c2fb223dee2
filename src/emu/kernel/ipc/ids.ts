// One kind's table of System V IPC objects (ipc/util.c ipc_ids): keys, and ids built as Linux builds them,
// index + sequence * 32768, indexes handed out cyclically so a stale id of a removed object stays invalid.
import { E, err } from '../errno.js';
import type { Credentials } from '../task.js';
import { IpcPerm } from './perm.js';

export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000, IPC_EXCL = 0o2000, IPC_NOWAIT = 0o4000;
const IPCMNI_SHIFT = 15;
const IPCMNI = 1 << IPCMNI_SHIFT;
const SEQ_MAX = 0x7fffffff >> IPCMNI_SHIFT;
/** idr_alloc_cyclic's smallest cycle (ipc_min_cycle, RADIX_TREE_MAP_SIZE). */
const MIN_CYCLE = 64;

/** What every IPC object has: its permissions, id, and whether IPC_RMID has taken it away. */
export abstract class IpcObject {
  id = -1;
  /** Set once removed: waiters wake with EIDRM, later lookups by id find nothing. */
  removed = false;
  ctime: number;
  constructor(readonly perm: IpcPerm, now: number) { this.ctime = now; }
  /** The object is going (IPC_RMID, namespace end): wake and fail whoever waits on it. */
  abstract destroy(): void;
}

/** The columns one kind shows in /proc/sysvipc/<kind>. */
export interface ProcTable<T> { header: string; line(o: T): string; }

export class IpcIds<T extends IpcObject> {
  private readonly slots: (T | undefined)[] = [];
  private readonly byKey = new Map<number, T>();
  private seq = 0;
  private lastIdx = -1;
  private count = 0;

  /** `mni`: the kind's object limit (semmni, msgmni, shmmni) read at each creation; `proc`: its /proc/sysvipc file. */
  constructor(readonly name: string, private readonly mni: () => number, readonly proc: ProcTable<T>) {}

  get inUse(): number { return this.count; }

  /** The highest index in use, -1 when empty (ipc_get_maxidx): what IPC_INFO and *_INFO return. */
  get maxIdx(): number {
    for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i]) return i;
    return -1;
  }

  /**
   * semget/msgget/shmget's lookup (ipcget): IPC_PRIVATE always makes a new object; a key finds its object
   * (EEXIST with IPC_CREAT|IPC_EXCL, then `check` for kind-specific EINVAL, then EACCES) or makes one with
   * IPC_CREAT (ENOENT without). `make` builds the object for a fresh IpcPerm. Returns the id.
   */
  get(c: Credentials, key: number, flags: number, make: (perm: IpcPerm) => T, check?: (o: T) => void): number {
    if (key !== IPC_PRIVATE) {
      const found = this.byKey.get(key);
      if (found) {
        if ((flags & IPC_CREAT) && (flags & IPC_EXCL)) throw err(E.EEXIST);
        check?.(found);
        found.perm.check(c, flags & 0o777);
        return found.id;
      }
      if (!(flags & IPC_CREAT)) throw err(E.ENOENT);
    }
    const o = make(new IpcPerm(key, c, flags));
    const idx = this.allocIndex();
    o.perm.seq = this.seq;
    o.id = this.seq * IPCMNI + idx;
    this.slots[idx] = o;
    this.count++;
    if (key !== IPC_PRIVATE) this.byKey.set(key, o);
    return o.id;
  }

  /** The object with this id (ipc_obtain_object_check): EINVAL for a bad or stale id. */
  byId(id: number): T {
    const o = id < 0 ? undefined : this.slots[id & (IPCMNI - 1)];
    if (!o || o.id !== id) throw err(E.EINVAL);
    return o;
  }

  /** *_STAT and *_STAT_ANY: the object at an index (EINVAL when none). */
  byIndex(idx: number): T {
    const o = idx < 0 ? undefined : this.slots[idx];
    if (!o) throw err(E.EINVAL);
    return o;
  }

  /** IPC_RMID: forget the object (its key is free at once) and let it fail its waiters. */
  remove(o: T): void {
    const idx = o.id & (IPCMNI - 1);
    if (this.slots[idx] !== o) return;
    this.slots[idx] = undefined;
    this.count--;
    if (this.byKey.get(o.perm.key) === o) this.byKey.delete(o.perm.key);
    o.removed = true;
    o.destroy();
  }

  /** A removed shm segment still attached (ipc_set_key_private): its key is free, its id still works. */
  makePrivate(o: T): void {
    if (this.byKey.get(o.perm.key) === o) this.byKey.delete(o.perm.key);
    o.perm.key = IPC_PRIVATE;
  }

  /** Live objects by index (the /proc/sysvipc listing order). */
  *[Symbol.iterator](): IterableIterator<T> {
    for (const o of this.slots) if (o) yield o;
  }

  /** /proc/sysvipc/<kind>: the header, then one line per object. */
  procText(): string {
    let s = this.proc.header;
    for (const o of this) s += this.proc.line(o);
    return s;
  }

  /** ipc_idr_alloc: the next free index after the last one given, within max(in_use*3/2, 64) capped by the
   * limit; wrapping around starts a new sequence number. ENOSPC once the kind's limit is reached. */
  private allocIndex(): number {
    const mni = Math.min(this.mni(), IPCMNI);
    if (this.count >= mni) throw err(E.ENOSPC);
    const cycle = Math.min(Math.max(Math.floor((this.count * 3) / 2), MIN_CYCLE), mni);
    for (let n = 0; n < cycle; n++) {
      const idx = (this.lastIdx + 1 + n) % cycle;
      if (this.slots[idx]) continue;
      if (idx <= this.lastIdx && ++this.seq >= SEQ_MAX) this.seq = 0;
      this.lastIdx = idx;
      return idx;
    }
    throw err(E.ENOSPC);
  }
}

/** Columns of /proc/sysvipc: printf's %<w>d / %<w>u / %<w>o, right-aligned. */
export const col = (v: number | bigint, width: number, radix = 10): string => v.toString(radix).padStart(width);
