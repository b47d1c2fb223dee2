import test from 'ava';
import { compileStatic } from '../../helpers/compile.js';
import { runPbash } from '../../helpers/pbash.js';

// Slices of 20 us end a run thousands of times inside the loop: every stop must land between
// instructions, so the count is exact (Unicorn's own cross-thread stop would restart a finished add).
test('preemption never repeats or skips an instruction', async (t) => {
  const root = compileStatic('rmw-loop');
  const r = await runPbash(['--standalone', '--root', root, '-e', '/rmw-loop'], {
    env: { ...process.env, PBASH_SLICE_US: '20' }, timeout: 120_000,
  });
  t.is(r.stderr.toString(), '');
  t.is(r.stdout.toString(), '4000000\n');
  t.is(r.exitCode, 0);
});
