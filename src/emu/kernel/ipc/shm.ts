// System V shared memory segments (ipc/shm.c): a shared segment (mm/shared-memory.ts) with its
// shmid_ds fields. Attaches are VMAs on the segment; shm_nattch counts them, as Linux counts shm VMAs.
// IPC_RMID of an attached segment only marks it (SHM_DEST, key private): it goes with its last attach.
import { AddressSpace } from '../../mm/address-space.js';
import { SharedSegment } from '../../mm/shared-memory.js';
import { IpcObject, col } from './ids.js';
import { ipcNow, type IpcPerm } from './perm.js';

/** shm_perm.mode bits above the permissions. */
export const SHM_DEST = 0o1000, SHM_LOCKED = 0o2000;

export class ShmSegment extends IpcObject {
  readonly seg: SharedSegment;
  atime = 0;
  dtime = 0;
  lpid = 0;

  /** `remove`: take it out of its table (the last detach of a segment marked SHM_DEST). */
  constructor(perm: IpcPerm, readonly segsz: number, readonly cpid: number, remove: (s: ShmSegment) => void) {
    super(perm, ipcNow());
    this.seg = new SharedSegment(segsz);
    this.seg.attach(this);
    this.seg.onDetach = () => {
      this.dtime = ipcNow(); // an address space let go (shmdt, exit, exec)
      if ((this.perm.mode & SHM_DEST) && this.nattch === 0) remove(this);
    };
  }

  /** Pages it uses (shm_tot, against shmall). */
  get pages(): number { return Math.ceil(this.segsz / 4096); }

  /** shm_nattch: the attaches (VMAs on it) in every address space. */
  get nattch(): number {
    let n = 0;
    for (const u of this.seg.holders) if (u instanceof AddressSpace) for (const v of u.vmas.list) if (v.seg === this.seg) n++;
    return n;
  }

  /** Gone from the table: the memory goes with the last mapping. */
  destroy(): void { this.seg.detach(this); }
}

/** /proc/sysvipc/shm. */
export const SHM_PROC = {
  header: '       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n',
  line: (s: ShmSegment): string => `${col(s.perm.key, 10)} ${col(s.id, 10)}  ${col(s.perm.mode, 4, 8)} ${col(s.segsz, 21)} ` +
    `${col(s.cpid, 5)} ${col(s.lpid, 5)}  ${col(s.nattch, 5)} ${col(s.perm.uid, 5)} ${col(s.perm.gid, 5)} ${col(s.perm.cuid, 5)} ` +
    `${col(s.perm.cgid, 5)} ${col(s.atime, 10)} ${col(s.dtime, 10)} ${col(s.ctime, 10)} ${col(s.seg.residentBytes, 21)} ${col(0, 21)}\n`,
};
