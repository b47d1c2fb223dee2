// System V semaphores: semget(2), semop(2), semtimedop(2), semctl(2) (ipc/sem.c). The sets and their
// waiting live in kernel/ipc/sem.ts; this file decodes the calls and the structs.
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { SemSet, SEMVMX, type Sop } from '../kernel/ipc/sem.js';
import { IPC_READ, IPC_WRITE } from '../kernel/ipc/perm.js';
import { readTimespec, struct } from './abi.js';
import { IPC, encodeIpcPerm, ipcSet } from './sysv-ipc.js';
import { sys, type SyscallDef } from './types.js';

const SEM = { GETPID: 11, GETVAL: 12, GETALL: 13, GETNCNT: 14, GETZCNT: 15, SETVAL: 16, SETALL: 17, STAT: 18, INFO: 19, STAT_ANY: 20 } as const;

/** semget(2): the set of `key`, made with IPC_CREAT (nsems in 1..semmsl, all sets within semmns). */
function semget(t: Task, key: number, nsems: number, flags: number): number {
  const ns = t.kernel.ipc, l = ns.limits;
  if (nsems < 0 || nsems > l.semmsl) throw err(E.EINVAL);
  return ns.sem.get(t.creds, key, flags, (perm) => {
    if (nsems === 0) throw err(E.EINVAL);
    if (ns.usedSems + nsems > l.semmns) throw err(E.ENOSPC);
    return new SemSet(perm, nsems);
  }, (s) => { if (nsems > s.nsems) throw err(E.EINVAL); });
}

/** semtimedop(2) (and semop without a timeout): all operations at once, or wait. */
function semtimedop(t: Task, semid: number, sopsAddr: number, nsops: number, timeout: number): number | Promise<number> {
  const ns = t.kernel.ipc;
  if (nsops < 1 || semid < 0) throw err(E.EINVAL);
  if (nsops > ns.limits.semopm) throw err(E.E2BIG);
  const raw = t.mem.read(sopsAddr, nsops * 6);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const sops: Sop[] = [];
  for (let i = 0; i < nsops; i++) sops.push({ num: dv.getUint16(i * 6, true), op: dv.getInt16(i * 6 + 2, true), flg: dv.getInt16(i * 6 + 4, true) });
  const timeoutMs = timeout ? Number(readTimespec(t.mem, timeout)) / 1e6 : undefined;
  const set = ns.sem.byId(semid);
  if (sops.some((s) => s.num >= set.nsems)) throw err(E.EFBIG);
  set.perm.check(t.creds, sops.some((s) => s.op !== 0) ? IPC_WRITE : IPC_READ);
  return set.semop(t.process, sops, timeoutMs);
}

/** struct semid64_ds (104 bytes). */
function semidDs(s: SemSet): Uint8Array {
  const b = struct(104);
  encodeIpcPerm(s.perm, b.dv);
  b.dv.setBigInt64(48, BigInt(s.otime), true);
  b.dv.setBigInt64(64, BigInt(s.ctime), true);
  b.dv.setBigUint64(80, BigInt(s.nsems), true);
  return b.u8;
}

/** IPC_INFO / SEM_INFO: struct seminfo; SEM_INFO reports use (sets, semaphores) where IPC_INFO has constants. */
function semInfo(t: Task, cmd: number, buf: number): number {
  const ns = t.kernel.ipc, l = ns.limits;
  const used = cmd === SEM.INFO;
  const v = [l.semmns, l.semmni, l.semmns, l.semmns, l.semmsl, l.semopm, l.semopm, used ? ns.sem.inUse : 20, SEMVMX, used ? ns.usedSems : SEMVMX];
  const b = struct(40);
  v.forEach((x, i) => b.dv.setInt32(i * 4, x, true));
  t.mem.write(buf, b.u8);
  return Math.max(0, ns.sem.maxIdx);
}

/** semctl(2): `arg` is the union semun passed by value (an int for SETVAL, a pointer otherwise). */
function semctl(t: Task, semid: number, semnum: number, cmd: number, arg: number): number {
  const ids = t.kernel.ipc.sem, c = t.creds, pid = t.process.pid;
  switch (cmd) {
    case IPC.INFO: case SEM.INFO: return semInfo(t, cmd, arg);
    case SEM.STAT: case SEM.STAT_ANY: case IPC.STAT: {
      const s = cmd === IPC.STAT ? ids.byId(semid) : ids.byIndex(semid);
      if (cmd !== SEM.STAT_ANY) s.perm.check(c, IPC_READ);
      t.mem.write(arg, semidDs(s));
      return cmd === IPC.STAT ? 0 : s.id;
    }
    case IPC.SET: case IPC.RMID: return ipcSet(t, ids, semid, cmd, arg, 104);
    case SEM.SETVAL: {
      const val = arg | 0;
      if (val < 0 || val > SEMVMX) throw err(E.ERANGE);
      const s = ids.byId(semid);
      if (semnum < 0 || semnum >= s.nsems) throw err(E.EINVAL);
      s.perm.check(c, IPC_WRITE);
      s.set([semnum], [val], pid);
      return 0;
    }
    case SEM.GETALL: case SEM.SETALL: {
      const s = ids.byId(semid);
      s.perm.check(c, cmd === SEM.SETALL ? IPC_WRITE : IPC_READ);
      const all = [...s.vals.keys()];
      if (cmd === SEM.GETALL) { t.mem.write(arg, new Uint8Array(Uint16Array.from(s.vals).buffer)); return 0; }
      const raw = t.mem.read(arg, 2 * s.nsems);
      s.set(all, Array.from(new Uint16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length))), pid);
      return 0;
    }
    case SEM.GETVAL: case SEM.GETPID: case SEM.GETNCNT: case SEM.GETZCNT: {
      const s = ids.byId(semid);
      s.perm.check(c, IPC_READ);
      if (semnum < 0 || semnum >= s.nsems) throw err(E.EINVAL);
      if (cmd === SEM.GETVAL) return s.vals[semnum];
      if (cmd === SEM.GETPID) return s.pids[semnum];
      return s.count(semnum, cmd === SEM.GETZCNT);
    }
    default: throw err(E.EINVAL);
  }
}

export const semSyscalls: SyscallDef[] = [
  sys(64, 'semget', ['int', 'int', 'flags'], semget),
  sys(65, 'semop', ['int', 'ptr', 'uint'], (t, id, sops, n) => semtimedop(t, id, sops, n, 0)),
  sys(66, 'semctl', ['int', 'int', 'int', 'u64'], semctl),
  sys(220, 'semtimedop', ['int', 'ptr', 'uint', 'ptr'], semtimedop),
];
