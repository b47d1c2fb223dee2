// Differential: own C programs for advisory locks, fchmodat2 and file handles, splice/tee/vmsplice and
// inotify (see helpers/programs.ts).
import { differentialPrograms } from '../../helpers/programs.js';

differentialPrograms(['locks', 'chmod-handles', 'splice', 'inotify', 'fallocate', 'proc-locks']);
