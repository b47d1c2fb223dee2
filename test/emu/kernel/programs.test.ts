// Differential: own C programs about processes' attributes (pid calls, rusage, NO_NEW_PRIVS, RLIMIT_CPU),
// ru_maxrss and VmHWM, file limits (RLIMIT_FSIZE, RLIMIT_NOFILE), timers (POSIX timers, alarm, interval timers, sleeps resumed after a stop) and process file
// descriptors (pidfd_*, CLONE_PIDFD, waitid(P_PIDFD), /proc/self/fdinfo), a buffer moved by mremap 1200 times, NUMA policies,
// protection keys on one node without PKU, sched_setattr, SIGBUS past the end of mapped files,
// madvise's fork flags, Linux native AIO (see helpers/programs.ts).
import { differentialPrograms } from '../../helpers/programs.js';

differentialPrograms(['proc-attrs', 'posix-timers', 'file-limits', 'pidfd', 'sys-admin', 'process-vm', 'execveat', 'openat2', 'sleep-restart', 'rusage-maxrss', 'mremap-grow', 'numa-policy', 'sched-setattr', 'mmap-eof', 'madvise-fork', 'aio']);
