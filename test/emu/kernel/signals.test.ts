import test from 'ava';
import { assertSameAsNative } from '../../helpers/program-diff.js';
import { rootfsUnavailableReason } from '../../helpers/rootfs.js';

// Differential: the same static program run natively (chroot into the Debian rootfs) and under pbash.
const why = rootfsUnavailableReason();
const differential = (title: string, program: string): void => {
  (why ? test.skip : test)(`${title}${why ? ` (${why})` : ''}`, (t) => assertSameAsNative(t, program));
};

differential('signal delivery, masks, restarts, faults, job control', 'signals');
differential('signalfd: records, poll readiness, SIGCHLD', 'signalfd');
differential('signal queues: realtime order and si_value, SIGCHLD siginfo, waitid, sigtimedwait, RLIMIT_SIGPENDING', 'signal-queue');
differential('signals across fork and exec, a sigwait thread, process groups', 'signal-inherit');
differential('memfd_create: I/O, mmap, seals', 'memfd');
differential('credentials: set*id rules, setfsuid, setgroups, capget', 'credentials');
differential('subreaper and parent-death signal', 'reaper');
differential('AF_UNIX socketpair: streams, records, SCM_RIGHTS, SO_PEERCRED, shutdown, EPIPE', 'socketpair');
