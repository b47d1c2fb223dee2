// Differential: own C programs about /proc/PID files read from the process itself (see helpers/programs.ts).
import { differentialPrograms } from '../../../helpers/programs.js';

differentialPrograms(['proc-cmdline', 'proc-net-unix', 'proc-net-inet', 'proc-pid-files']);
