// `node --import ./test/helpers/trace-loads.mjs ...`: every module the process resolves is appended to the
// file named by PBASH_TRACE_LOADS, one URL a line (which modules a launch path really loads): ES modules
// through a resolve hook, CommonJS require()s (bin/pbash loads the client bundle so) through the resolver.
import fs from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

const file = process.env.PBASH_TRACE_LOADS;
if (file) {
  register('./trace-loads-hooks.mjs', import.meta.url);
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (...args) {
    const r = resolveFilename.apply(this, args);
    fs.appendFileSync(file, `${r.startsWith('/') ? pathToFileURL(r).href : r}\n`);
    return r;
  };
}
