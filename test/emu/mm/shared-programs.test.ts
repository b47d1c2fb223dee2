// Differential: memory shared between processes (MAP_SHARED anonymous and of files, futexes in it, POSIX
// and System V shared memory), C programs compiled at test time, run natively (chroot into the Debian
// rootfs) and under pbash; stdout, stderr and status must match.
import test from 'ava';
import { assertSameAsNative } from '../../helpers/program-diff.js';
import { rootfsUnavailableReason } from '../../helpers/rootfs.js';

const why = rootfsUnavailableReason();
const PROGRAMS: [string, string][] = [
  ['shm-futex', 'PTHREAD_PROCESS_SHARED mutex and condvar, sem_t, a futex reached through two mappings'],
  ['shm-anon', 'MAP_SHARED|MAP_ANONYMOUS and /dev/zero across fork: counters, munmap/mprotect per process, mremap'],
];

for (const [name, title] of PROGRAMS) {
  (why ? test.skip : test)(`${name}: ${title}${why ? ` (${why})` : ''}`, (t) => assertSameAsNative(t, name));
}
