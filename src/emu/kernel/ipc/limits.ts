// The instance's IPC limits, as /proc/sys/kernel (sem, msg*, shm*) and /proc/sys/fs/mqueue show and set them.
// Defaults are Linux's (include/uapi/linux/sem.h, msg.h, shm.h; ipc/mq_sysctl.c).
import { E, err } from '../errno.js';

export class IpcLimits {
  /** kernel.sem: semmsl (semaphores per set), semmns (in all sets), semopm (ops per semop), semmni (sets). */
  semmsl = 32000;
  semmns = 1024000000;
  semopm = 500;
  semmni = 32000;
  /** kernel.msgmax (bytes per message), msgmnb (default msg_qbytes), msgmni (queues). */
  msgmax = 8192;
  msgmnb = 16384;
  msgmni = 32000;
  /** kernel.shmmax (bytes per segment), shmall (pages in all), shmmni (segments), shm_rmid_forced. */
  shmmax = 18446744073692774399n;
  shmall = 18446744073692774399n;
  shmmni = 4096;
  shmRmidForced = 0;
  /** fs.mqueue: queues_max, msg_max, msgsize_max, msg_default, msgsize_default. */
  mqQueuesMax = 256;
  mqMsgMax = 10;
  mqMsgsizeMax = 8192;
  mqMsgDefault = 10;
  mqMsgsizeDefault = 8192;
}

/** The ids *mni limits cannot exceed (IPCMNI). */
export const IPCMNI_MAX = 32768;

/** A sysctl write of whitespace-separated integers (proc_dointvec_minmax): `n` of them, each in [min, max]. */
export function parseInts(data: Buffer, n: number, min = 0, max = 0x7fffffff): number[] {
  const words = data.toString('latin1').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > n) throw err(E.EINVAL);
  const v = words.map((w) => (/^-?\d+$/.test(w) ? Number(w) : NaN));
  if (v.some((x) => !(x >= min && x <= max))) throw err(E.EINVAL);
  return v;
}
