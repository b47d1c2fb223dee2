// Arbitrary arguments to the inet socket calls (test/programs/inet-fuzz.c) end in Linux errnos: the program
// runs to its end natively and under pbash, and pbash reports no internal error on the way.
import test from 'ava';
import { compileStatic } from '../../helpers/compile.js';
import { pbashExec, pbashMissingReason } from '../../helpers/pbash.js';
import { run } from '../../helpers/run.js';

(pbashMissingReason() ? test.skip : test)('inet socket calls with arbitrary arguments: errnos only, never an internal error', async (t) => {
  const dir = compileStatic('inet-fuzz');
  const native = await run(`${dir}/inet-fuzz`, [], { cwd: dir, timeout: 60_000 });
  t.is(native.exitCode, 0);
  const pbash = await pbashExec(dir, ['/inet-fuzz'], { cd: '/', timeout: 120_000 });
  t.is(pbash.stdout.toString(), 'done\n');
  t.is(pbash.exitCode, 0);
  const stderr = pbash.stderr.toString();
  t.notRegex(stderr, /internal error|Uncaught|TypeError|RangeError/);
  // what it may say: the options and sockets pbash does not provide, one line each
  for (const line of stderr.split('\n').filter(Boolean)) t.regex(line, /^pbash: (socket option level \d+ option \d+ is not provided|SO_REUSEPORT is not provided)/);
});
