// Differential: System V semaphores and message queues and POSIX message queues from C programs, compiled
// at test time, run natively (chroot into the Debian rootfs) and under pbash; stdout, stderr and status must
// match. The native side runs in private IPC and mount namespaces, so fixed keys and queue names meet nothing of the host's.
import test from 'ava';
import { assertSameAsNative } from '../../helpers/program-diff.js';
import { rootfsUnavailableReason } from '../../helpers/rootfs.js';

const why = rootfsUnavailableReason();
const PROGRAMS: [string, string][] = [
  ['sysv-sem', 'semaphores: blocking, atomic arrays, wait-for-zero, SEM_UNDO at exit, EINTR, timeouts, EIDRM, semctl, errors'],
  ['posix-mq', 'POSIX message queues: priorities, O_NONBLOCK, timeouts, blocking across fork, poll, mq_notify, getsetattr, names, errors, the mqueue filesystem'],
  ['sysv-msg', 'message queues: typed receive, MSG_EXCEPT/NOERROR/COPY, E2BIG, full queue, blocking across fork, EINTR, EIDRM, msgctl, errors'],
];

for (const [name, title] of PROGRAMS) {
  (why ? test.skip : test)(`${name}: ${title}${why ? ` (${why})` : ''}`, (t) => assertSameAsNative(t, name, undefined, 120_000, true));
}
