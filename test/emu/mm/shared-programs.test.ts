// Differential: memory shared between processes (MAP_SHARED anonymous and of files, futexes in it, POSIX
// and System V shared memory), C programs compiled at test time, run natively (chroot into the Debian
// rootfs) and under pbash; stdout, stderr and status must match.
import test from 'ava';
import { assertSameAsNative } from '../../helpers/program-diff.js';
import { rootfsUnavailableReason } from '../../helpers/rootfs.js';

const why = rootfsUnavailableReason();
const PROGRAMS: [string, string][] = [
  ['shm-futex', 'PTHREAD_PROCESS_SHARED mutex and condvar, sem_t, a futex reached through two mappings'],
  ['shm-posix', 'shm_open + mmap in two processes, read()/write() of the object, shm_unlink'],
  ['memfd-shared', 'memfd MAP_SHARED: two mappings, read()/write() both ways, fork, shrink and regrow'],
  ['file-shared', 'a file MAP_SHARED in several processes: msync(MS_SYNC), munmap write-back, write() seen'],
  ['shm-sysv', 'System V shm: shmget/shmat/shmdt/shmctl, fork, exec, IPC_RMID while attached, limits'],
  ['shm-anon', 'MAP_SHARED|MAP_ANONYMOUS and /dev/zero across fork: counters, munmap/mprotect per process, mremap'],
];

for (const [name, title] of PROGRAMS) {
  (why ? test.skip : test)(`${name}: ${title}${why ? ` (${why})` : ''}`, (t) => assertSameAsNative(t, name, undefined, 120_000, name === 'shm-sysv'));
}
