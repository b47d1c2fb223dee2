// struct kern_ipc_perm and its checks (ipc/util.c ipcperms, ipcctl_obtain_check): who may use, change or
// remove a System V IPC object. Root holds every capability here (CAP_IPC_OWNER, CAP_SYS_ADMIN).
import { CAP, capable } from '../capability.js';
import { E, err } from '../errno.js';
import type { Credentials } from '../task.js';

/** Permission bits a caller asks for, as ipcperms() takes them (S_IRUGO, S_IWUGO). */
export const IPC_READ = 0o444, IPC_WRITE = 0o222;

/** Seconds since the epoch, the resolution of every IPC timestamp (ktime_get_real_seconds). */
export const ipcNow = (): number => Math.floor(Date.now() / 1000);

export class IpcPerm {
  uid: number;
  gid: number;
  readonly cuid: number;
  readonly cgid: number;
  /** The low 9 bits are the access permissions; shm keeps its SHM_DEST/SHM_LOCKED flags above them. */
  mode: number;

  /** The id's sequence number (set when the object gets its id). */
  seq = 0;

  /** key: IPC_PRIVATE once a removed object lives on (a shm segment still attached). */
  constructor(public key: number, c: Credentials, mode: number) {
    this.uid = this.cuid = c.euid;
    this.gid = this.cgid = c.egid;
    this.mode = mode & 0o777;
  }

  /** The caller owns or created the object (the test behind IPC_SET, IPC_RMID and semctl's cuid rule). */
  ownedBy(c: Credentials): boolean { return c.euid === this.uid || c.euid === this.cuid; }

  /** ipcperms(): the access `flag` asks for (rwx bits in any of the three triads) is granted; else false. */
  allows(c: Credentials, flag: number): boolean {
    const requested = ((flag >> 6) | (flag >> 3) | flag) & 0o7;
    let granted = this.mode;
    if (this.ownedBy(c)) granted >>= 6;
    else if (inGroup(c, this.gid) || inGroup(c, this.cgid)) granted >>= 3;
    return (requested & ~granted & 0o7) === 0 || capable(c, CAP.IPC_OWNER);
  }

  /** EACCES unless the caller may access the object with `flag`. */
  check(c: Credentials, flag: number): void {
    if (!this.allows(c, flag)) throw err(E.EACCES);
  }

  /** IPC_SET and IPC_RMID: the owner, the creator or CAP_SYS_ADMIN; EPERM otherwise. */
  checkOwner(c: Credentials): void {
    if (!this.ownedBy(c) && !capable(c, CAP.SYS_ADMIN)) throw err(E.EPERM);
  }

  /** IPC_SET (ipc_update_perm): new owner ids and the permission bits; the other mode bits stay. */
  update(s: { uid: number; gid: number; mode: number }): void {
    this.uid = s.uid;
    this.gid = s.gid;
    this.mode = (this.mode & ~0o777) | (s.mode & 0o777);
  }

  /** struct ipc64_perm (48 bytes) at `off` of `dv`. */
  encode(dv: DataView, off: number): void {
    dv.setInt32(off, this.key, true);
    dv.setUint32(off + 4, this.uid, true);
    dv.setUint32(off + 8, this.gid, true);
    dv.setUint32(off + 12, this.cuid, true);
    dv.setUint32(off + 16, this.cgid, true);
    dv.setUint32(off + 20, this.mode, true);
    dv.setUint16(off + 24, this.seq, true);
  }
}

/** The uid, gid and mode IPC_SET takes from a struct ipc64_perm; -1 is no id (EINVAL). */
export function decodePermSet(dv: DataView, off: number): { uid: number; gid: number; mode: number } {
  const s = { uid: dv.getUint32(off + 4, true), gid: dv.getUint32(off + 8, true), mode: dv.getUint32(off + 20, true) };
  if (s.uid === 0xffffffff || s.gid === 0xffffffff) throw err(E.EINVAL);
  return s;
}

/** in_group_p: the filesystem gid or a supplementary group. */
const inGroup = (c: Credentials, gid: number): boolean => c.fsgid === gid || c.groups.includes(gid);
