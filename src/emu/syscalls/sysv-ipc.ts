// What semctl, msgctl and shmctl share (ipc/util.c ipcctl_obtain_check, ipc_update_perm): the command
// numbers, struct ipc64_perm at the head of every *_ds struct, and IPC_SET / IPC_RMID.
import type { Task } from '../kernel/task.js';
import type { IpcIds, IpcObject } from '../kernel/ipc/ids.js';
import { decodePermSet, ipcNow, type IpcPerm } from '../kernel/ipc/perm.js';

export const IPC = { RMID: 0, SET: 1, STAT: 2, INFO: 3 } as const;

/** struct ipc64_perm at the start of a *_ds struct. */
export const encodeIpcPerm = (p: IpcPerm, dv: DataView): void => p.encode(dv, 0);

/**
 * IPC_SET / IPC_RMID on `id`: the caller must own or have made the object (EPERM). IPC_SET reads the
 * kind's `size`-byte *_ds struct at `arg` (perm first); `apply` takes the kind's own fields, and may refuse.
 */
export function ipcSet<T extends IpcObject>(t: Task, ids: IpcIds<T>, id: number, cmd: number, arg: number, size: number,
  apply?: (o: T, dv: DataView) => void): number {
  const raw = cmd === IPC.SET ? t.mem.read(arg, size) : null;
  const o = ids.byId(id);
  o.perm.checkOwner(t.creds);
  if (!raw) { ids.remove(o); return 0; }
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const perm = decodePermSet(dv, 0);
  apply?.(o, dv);
  o.perm.update(perm);
  o.ctime = ipcNow();
  return 0;
}
