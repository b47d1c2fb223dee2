// Process file descriptors: pidfd_open(2), pidfd_send_signal(2), pidfd_getfd(2) (as Linux 6.1; the file
// itself and its poll rule live in kernel/pidfd.ts, waitid(P_PIDFD) in wait.ts).
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import type { KProcess } from '../kernel/process.js';
import { E, err } from '../kernel/errno.js';
import { PidFd, pidfdProcess } from '../kernel/pidfd.js';
import { sendSignalToProcess } from '../kernel/signal-send.js';
import { mayPtrace } from '../kernel/task-lookup.js';
import { O } from '../fs/constants.js';
import { procDirProcess } from '../fs/procfs/pid-dir.js';
import { partial, sys, type SyscallDef } from './types.js';
import { userSiginfo } from './signal.js';

const PIDFD_NONBLOCK = O.NONBLOCK;
const SI_USER = 0;

/** pidfd_open(2): a thread-group leader's pid only (6.1: EINVAL for another thread); ESRCH once reaped. */
function pidfdOpen(t: Task, pid: number, flags: number): number {
  if (flags & ~PIDFD_NONBLOCK || pid <= 0) throw err(E.EINVAL);
  const task = t.kernel.tasks.get(pid) as KTask | undefined;
  const proc = task?.process ?? zombieChild(t, pid);
  if (!proc) throw err(E.ESRCH);
  if (proc.pid !== pid) throw err(E.EINVAL);
  return t.files.install(() => new PidFd(proc, O.RDWR | flags), true);
}

/** A zombie still holds its pid: look for it among the children of every live process. */
function zombieChild(t: Task, pid: number): KProcess | undefined {
  for (const o of t.kernel.tasks.values()) for (const c of (o as KTask).process.children) if (c.pid === pid) return c;
  return undefined;
}

/**
 * pidfd_send_signal(2): kill(2) aimed by a pidfd or an open /proc/<pid> directory; a siginfo as
 * rt_sigqueueinfo's (si_signo must match).
 */
function pidfdSendSignal(t: Task, pidfd: number, sig: number, infop: number, flags: number): number {
  if (flags) throw err(E.EINVAL);
  const f = t.files.get(pidfd);
  const proc = f instanceof PidFd ? f.target : procDirProcess(f);
  if (!proc) throw err(E.EBADF);
  let info = { code: SI_USER, pid: t.process.pid, uid: t.creds.uid };
  if (infop) {
    const u = userSiginfo(t, infop, proc === t.process);
    if (u.signo !== sig) throw err(E.EINVAL);
    info = u.info;
  }
  sendSignalToProcess(proc, sig, t, info);
  return 0;
}

/**
 * pidfd_getfd(2): a duplicate of another process's fd, close-on-exec, with ptrace attach rights (the same
 * credentials, or root); EBADF when that fd is not open; ESRCH once the process has exited (as Linux 6.18
 * answers for a zombie too).
 */
function pidfdGetfd(t: Task, pidfd: number, targetfd: number, flags: number): number {
  if (flags) throw err(E.EINVAL);
  const { proc } = pidfdProcess(t, pidfd);
  const owner = [...proc.threads][0];
  if (!owner) throw err(E.ESRCH);
  if (!mayPtrace(t, owner)) throw err(E.EPERM);
  return t.files.install(owner.files.get(targetfd), true);
}

export const pidfdSyscalls: SyscallDef[] = [
  partial(434, 'pidfd_open', ['int', 'flags'], 'PIDFD_THREAD (Linux 6.9) is EINVAL, as on 6.1', pidfdOpen),
  partial(424, 'pidfd_send_signal', ['fd', 'int', 'ptr', 'flags'], 'PIDFD_SIGNAL_* flags (Linux 6.9) are EINVAL, as on 6.1', pidfdSendSignal),
  sys(438, 'pidfd_getfd', ['fd', 'int', 'flags'], pidfdGetfd),
];
