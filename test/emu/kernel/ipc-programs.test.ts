// Differential: System V semaphores and message queues and POSIX message queues from C programs, compiled
// at test time, run natively (chroot into the Debian rootfs) and under pbash; stdout, stderr and status must
// match. The programs touch only objects they make (IPC_PRIVATE, their own names).
import test from 'ava';
import { assertSameAsNative } from '../../helpers/program-diff.js';
import { rootfsUnavailableReason } from '../../helpers/rootfs.js';

const why = rootfsUnavailableReason();
const PROGRAMS: [string, string][] = [
  ['sysv-sem', 'semaphores: blocking, atomic arrays, wait-for-zero, SEM_UNDO at exit, EINTR, timeouts, EIDRM, semctl, errors'],
];

for (const [name, title] of PROGRAMS) {
  (why ? test.skip : test)(`${name}: ${title}${why ? ` (${why})` : ''}`, (t) => assertSameAsNative(t, name));
}
