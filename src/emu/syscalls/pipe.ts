// pipe(2), pipe2(2).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { O } from '../fs/constants.js';
import { createPipe } from '../fs/pipe.js';
import { sys, type SyscallDef } from './types.js';

function pipe2(t: Task, fds: number, flags: number): number {
  if (flags & ~(O.CLOEXEC | O.NONBLOCK | O.DIRECT)) throw err(E.EINVAL);
  t.mem.slices(fds, 8, true); // EFAULT before any fd is allocated
  const [r, w] = createPipe(flags);
  const [rfd, wfd] = t.files.installPair(r, w, (flags & O.CLOEXEC) !== 0);
  t.mem.writeI32(fds, rfd);
  t.mem.writeI32(fds + 4, wfd);
  return 0;
}

export const pipeSyscalls: SyscallDef[] = [
  sys(22, 'pipe', ['ptr'], (t, fds) => pipe2(t, fds, 0)),
  sys(293, 'pipe2', ['ptr', 'flags'], pipe2),
];
