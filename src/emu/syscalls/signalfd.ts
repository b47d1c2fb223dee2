// signalfd(2), signalfd4(2).
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { E, err } from '../kernel/errno.js';
import { O } from '../fs/constants.js';
import { SignalFile } from '../fs/signalfd.js';
import { UNBLOCKABLE } from '../kernel/signal-deliver.js';
import { sys, type SyscallDef } from './types.js';

function signalfd4(t: Task, fd: number, maskp: number, size: number, flags: number): number {
  if (size !== 8 || flags & ~(O.NONBLOCK | O.CLOEXEC)) throw err(E.EINVAL);
  const mask = t.mem.readBig(maskp) & ~UNBLOCKABLE; // SIGKILL and SIGSTOP are silently left out
  if (fd !== -1) {
    const f = t.files.get(fd);
    if (!(f instanceof SignalFile)) throw err(E.EINVAL);
    f.mask = mask;
    return fd;
  }
  return t.files.install(() => new SignalFile(mask, flags, t as KTask), (flags & O.CLOEXEC) !== 0);
}

export const signalfdSyscalls: SyscallDef[] = [
  sys(289, 'signalfd4', ['fd', 'ptr', 'size', 'flags'], signalfd4),
  sys(282, 'signalfd', ['fd', 'ptr', 'size'], (t, fd, mask, size) => signalfd4(t, fd, mask, size, 0)),
];
