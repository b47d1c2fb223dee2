// System V shared memory: shmget(2), shmat(2), shmdt(2), shmctl(2) (ipc/shm.c). Segments live in
// kernel/ipc/shm.ts; an attach is a MAP_SHARED VMA on the segment's memory, so fork inherits it and exit
// and execve detach it with the address space.
import { CAP, capable } from '../kernel/capability.js';
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { RLIMIT } from '../kernel/rlimits.js';
import { SHM_DEST, SHM_LOCKED, ShmSegment } from '../kernel/ipc/shm.js';
import { IPC_READ, IPC_WRITE } from '../kernel/ipc/perm.js';
import { PAGE, PROT, TASK_SIZE, alignUp } from '../mm/layout.js';
import { struct } from './abi.js';
import { IPC, encodeIpcPerm, ipcSet } from './sysv-ipc.js';
import { partial, sys, type SyscallDef } from './types.js';

const SHM = { LOCK: 11, UNLOCK: 12, STAT: 13, INFO: 14, STAT_ANY: 15 } as const;
const SHM_RDONLY = 0o10000, SHM_RND = 0o20000, SHM_REMAP = 0o40000, SHM_EXEC = 0o100000, SHM_HUGETLB = 0o4000;
/** SHMMIN; SHMLBA is the page size on x86. */
const SHMMIN = 1, SHMLBA = PAGE;
/** cmd | IPC_64: the 64-bit structs, which x86-64 always uses. */
const IPC_64 = 0x100;

/** shmget(2): the segment of `key`, made with IPC_CREAT (size in SHMMIN..shmmax, within shmall). */
function shmget(t: Task, key: number, size: number, flags: number): number {
  const ns = t.kernel.ipc, l = ns.limits;
  return ns.shm.get(t.creds, key, flags, (perm) => {
    if (size < SHMMIN || BigInt(size) > l.shmmax) throw err(E.EINVAL);
    if (flags & SHM_HUGETLB) throw err(E.ENOMEM, 'no huge pages');
    if (size > TASK_SIZE) throw err(E.ENOMEM, 'a segment larger than the address space');
    const pages = Math.ceil(size / PAGE);
    if (BigInt(ns.shmPages + pages) > l.shmall) throw err(E.ENOSPC);
    return new ShmSegment(perm, size, t.process.pid, (s) => ns.shm.remove(s));
  }, (s) => { if (size > s.segsz) throw err(E.EINVAL); });
}

/** shmat(2): map the segment at shmaddr (rounded down with SHM_RND; replacing mappings only with SHM_REMAP) or anywhere. */
function shmat(t: Task, shmid: number, shmaddr: number, flags: number): number {
  const mm = t.process.mm;
  let addr = shmaddr;
  if (addr % SHMLBA) {
    if (!(flags & SHM_RND)) throw err(E.EINVAL);
    addr -= addr % SHMLBA;
  }
  if (!addr && (flags & SHM_REMAP)) throw err(E.EINVAL);
  if (shmid < 0) throw err(E.EINVAL);
  const s = t.kernel.ipc.shm.byId(shmid);
  let prot = PROT.READ, access = IPC_READ;
  if (!(flags & SHM_RDONLY)) { prot |= PROT.WRITE; access |= IPC_WRITE; }
  if (flags & SHM_EXEC) { prot |= PROT.EXEC; access |= 0o111; }
  s.perm.check(t.creds, access);
  const size = alignUp(s.segsz);
  if (addr) {
    if (addr + size > TASK_SIZE) throw err(E.EINVAL);
    if (!(flags & SHM_REMAP) && !mm.vmas.isFree(addr, addr + size)) throw err(E.EINVAL);
  } else {
    addr = mm.findArea(0, size);
  }
  mm.mapFixed(addr, size, {
    prot, shared: true, mayWrite: !(flags & SHM_RDONLY), kind: 'sysv',
    name: `/SYSV${(s.perm.key >>> 0).toString(16).padStart(8, '0')} (deleted)`, seg: s.seg, offset: 0,
  });
  s.atime = Math.floor(Date.now() / 1000);
  s.lpid = t.process.pid;
  return addr;
}

/** shmdt(2): the attach starting at shmaddr goes (every VMA of it, pieces split by mprotect included). */
function shmdt(t: Task, shmaddr: number): number {
  const mm = t.process.mm;
  if (shmaddr % PAGE) throw err(E.EINVAL);
  const first = mm.vmas.find(shmaddr);
  if (!first || first.kind !== 'sysv' || first.start !== shmaddr || first.offset !== 0) throw err(E.EINVAL);
  const seg = first.seg;
  const s = [...t.kernel.ipc.shm].find((x) => x.seg === seg);
  const end = shmaddr + (seg ? seg.size : 0);
  for (const v of mm.vmas.overlapping(shmaddr, end)) {
    if (v.seg === seg && v.kind === 'sysv' && v.start - v.offset === shmaddr) mm.unmapRange(v.start, v.end);
  }
  if (s) s.lpid = t.process.pid;
  return 0;
}

/** struct shmid64_ds (112 bytes). */
function shmidDs(s: ShmSegment): Uint8Array {
  const b = struct(112);
  encodeIpcPerm(s.perm, b.dv);
  [s.segsz, s.atime, s.dtime, s.ctime].forEach((v, i) => b.dv.setBigInt64(48 + 8 * i, BigInt(v), true));
  b.dv.setInt32(80, s.cpid, true);
  b.dv.setInt32(84, s.lpid, true);
  b.dv.setBigUint64(88, BigInt(s.nattch), true);
  return b.u8;
}

/** IPC_INFO: struct shminfo64; SHM_INFO: struct shm_info (segments, pages, resident pages). Both return the highest index. */
function shmInfo(t: Task, cmd: number, buf: number): number {
  const ns = t.kernel.ipc, l = ns.limits;
  if (cmd === IPC.INFO) {
    const b = struct(72);
    [l.shmmax, BigInt(SHMMIN), BigInt(l.shmmni), BigInt(l.shmmni), l.shmall].forEach((v, i) => b.dv.setBigUint64(8 * i, v, true));
    t.mem.write(buf, b.u8);
  } else {
    const b = struct(48);
    let rss = 0;
    for (const s of ns.shm) rss += s.seg.residentBytes / PAGE;
    b.dv.setInt32(0, ns.shm.inUse, true);
    b.dv.setBigUint64(8, BigInt(ns.shmPages), true);
    b.dv.setBigUint64(16, BigInt(rss), true);
    t.mem.write(buf, b.u8);
  }
  return Math.max(0, ns.shm.maxIdx);
}

/** shmctl(2). */
function shmctl(t: Task, shmid: number, cmdArg: number, buf: number): number {
  const ns = t.kernel.ipc;
  const cmd = cmdArg & ~IPC_64;
  switch (cmd) {
    case IPC.INFO: case SHM.INFO: return shmInfo(t, cmd, buf);
    case IPC.STAT: case SHM.STAT: case SHM.STAT_ANY: {
      const s = cmd === IPC.STAT ? ns.shm.byId(shmid) : ns.shm.byIndex(shmid);
      if (cmd !== SHM.STAT_ANY) s.perm.check(t.creds, IPC_READ);
      t.mem.write(buf, shmidDs(s));
      return cmd === IPC.STAT ? 0 : s.id;
    }
    case IPC.SET: return ipcSet(t, ns.shm, shmid, cmd, buf, 112);
    case IPC.RMID: {
      // marked for removal; it goes now or with its last attach (shm_destroy), its key free at once
      const s = ns.shm.byId(shmid);
      s.perm.checkOwner(t.creds);
      s.perm.mode |= SHM_DEST;
      ns.shm.makePrivate(s);
      if (s.nattch === 0) ns.shm.remove(s);
      return 0;
    }
    case SHM.LOCK: case SHM.UNLOCK: {
      // nothing is ever swapped out: only the flag and who may set it (CAP_IPC_LOCK, else owner within RLIMIT_MEMLOCK)
      const s = ns.shm.byId(shmid);
      if (!capable(t.creds, CAP.IPC_LOCK)) {
        s.perm.checkOwner(t.creds);
        if (cmd === SHM.LOCK && t.process.rlimits[RLIMIT.MEMLOCK].cur === 0n) throw err(E.EPERM);
      }
      if (cmd === SHM.LOCK) s.perm.mode |= SHM_LOCKED; else s.perm.mode &= ~SHM_LOCKED;
      return 0;
    }
    default: throw err(E.EINVAL);
  }
}

export const shmSyscalls: SyscallDef[] = [
  sys(29, 'shmget', ['int', 'size', 'flags'], shmget),
  partial(30, 'shmat', ['int', 'ptr', 'flags'], 'SHM_EXEC code changed by another process is not retranslated', shmat),
  sys(31, 'shmctl', ['int', 'int', 'ptr'], shmctl),
  sys(67, 'shmdt', ['ptr'], shmdt),
];
