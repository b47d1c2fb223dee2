import test from 'ava';
import { assertSameAsNative } from '../../helpers/program-diff.js';
import { rootfsUnavailableReason } from '../../helpers/rootfs.js';

// Differential: a pthreads program run natively (chroot) and under pbash.
const why = rootfsUnavailableReason();
(why ? test.skip : test)(`threads: mutexes, condition variables, join, TLS, pthread_kill${why ? ` (${why})` : ''}`, (t) => assertSameAsNative(t, 'threads'));
