// `node --import ./test/helpers/trace-loads.mjs ...`: every module the process resolves is appended to the
// file named by PBASH_TRACE_LOADS, one URL a line (which modules a launch path really loads).
import { register } from 'node:module';

if (process.env.PBASH_TRACE_LOADS) register('./trace-loads-hooks.mjs', import.meta.url);
