// eventfd(2), eventfd2(2).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { O } from '../fs/constants.js';
import { EventFd } from '../fs/eventfd.js';
import { sys, type SyscallDef } from './types.js';

const EFD_SEMAPHORE = 1;

function eventfd2(t: Task, initval: number, flags: number): number {
  if (flags & ~(O.CLOEXEC | O.NONBLOCK | EFD_SEMAPHORE)) throw err(E.EINVAL);
  return t.files.install(() => new EventFd(BigInt(initval), O.RDWR | (flags & O.NONBLOCK), (flags & EFD_SEMAPHORE) !== 0),
    (flags & O.CLOEXEC) !== 0);
}

export const eventfdSyscalls: SyscallDef[] = [
  sys(284, 'eventfd', ['uint'], (t, initval) => eventfd2(t, initval, 0)),
  sys(290, 'eventfd2', ['uint', 'flags'], eventfd2),
];
