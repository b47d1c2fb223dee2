// Differential: own C programs for advisory locks, fchmodat2 and file handles, splice/tee/vmsplice,
// inotify, and the file syscalls' edge cases on the root filesystem (hostfs) and a tmpfs: open flags, path
// resolution, attributes, directories, I/O calls and fcntl, the memory devices, statx, permissions as nobody
// (see helpers/programs.ts).
import { differentialPrograms } from '../../helpers/programs.js';

differentialPrograms([
  'locks', 'chmod-handles', 'splice', 'inotify', 'fallocate', 'proc-locks',
  'fs-open', 'fs-paths', 'fs-attrs', 'fs-dirs', 'fs-io', 'fs-statx', 'fs-perms',
]);
