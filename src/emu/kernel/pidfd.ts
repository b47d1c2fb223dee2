// Process file descriptors (kernel/pid.c pidfd_open, kernel/fork.c pidfd_fops, as in Linux 6.1): an fd that
// names one process for its whole life, pollable (POLLIN once it has exited), usable by waitid(P_PIDFD),
// pidfd_send_signal and pidfd_getfd; fdinfo shows its pid (-1 once reaped).
import type { Task } from './task.js';
import type { KProcess } from './process.js';
import type { WaitQueue } from './wait-queue.js';
import { E, err } from './errno.js';
import { AnonInodeFile } from '../fs/anon-inode.js';
import { POLL } from '../fs/file.js';

export class PidFd extends AnonInodeFile {
  constructor(readonly target: KProcess, flags: number) { super(flags, 'pidfd'); }

  /** pidfd_poll: readable once the whole thread group has exited (zombie or reaped), never before. */
  override pollMask(): number { return this.target.threads.size === 0 ? POLL.IN | POLL.RDNORM : 0; }
  override get pollQueue(): WaitQueue { return this.target.exitQueue; }
  override fdinfo(): string {
    const nr = this.target.reaped ? -1 : this.target.pid;
    return `Pid:\t${nr}\nNSpid:\t${nr}\n`;
  }
}

/** The process a pidfd argument names; EBADF for a closed fd or any other kind of file (pidfd_pid). */
export function pidfdProcess(t: Task, fd: number): { proc: KProcess; file: PidFd } {
  const file = t.files.get(fd);
  if (!(file instanceof PidFd)) throw err(E.EBADF);
  return { proc: file.target, file };
}
