// The dispatch point's telemetry (pbash status): every call and every error counted per syscall, the time
// of a slow call measured, and nothing counted with telemetry off (the benchmark's comparison).
import test from 'ava';
import { Kernel } from '../../../src/emu/kernel/kernel.js';
import { rootCreds } from '../../../src/emu/kernel/spawn.js';
import { createSessionTerminal } from '../../../src/emu/fs/tty/session-terminal.js';
import { syscallCalls, syscallErrors, syscallMs } from '../../../src/emu/syscalls/dispatch.js';
import { compileStatic } from '../../helpers/compile.js';

const NR = { close: 3, getpid: 39, execve: 59 };
const root = compileStatic('syscall-count');

async function run(args: string[], telemetry: boolean): Promise<number> {
  const kernel = new Kernel({ root, log: () => {}, telemetry });
  const term = createSessionTerminal(kernel, { rows: 24, cols: 80 });
  const proc = kernel.spawn({ argv: ['/syscall-count', ...args], envp: [], cwd: '/', creds: rootCreds(), stdio: [term.slave, term.slave, term.slave] });
  return proc.exited;
}

const counters = () => ({
  getpid: syscallCalls[NR.getpid], close: syscallCalls[NR.close], closeErrors: syscallErrors[NR.close],
  execve: syscallCalls[NR.execve], execveMs: syscallMs[NR.execve],
});

// One test: the counters are process-wide, so the runs must not overlap.
test('calls and errors are counted per syscall, a slow call is timed, and telemetry off counts nothing', async (t) => {
  let before = counters();
  const t0 = performance.now();
  t.is(await run(['1000', 'exec'], true), 0);
  const elapsed = performance.now() - t0;
  let after = counters();
  t.is(after.getpid - before.getpid, 1000);
  t.is(after.close - before.close, 1000);
  t.is(after.closeErrors - before.closeErrors, 1000);
  t.is(after.execve - before.execve, 1);
  // execve costs far more than the sampling threshold, so the first call of it is timed in full: its share
  // of the run is measured, never more than the run took
  t.true(after.execveMs > before.execveMs, 'execve time measured');
  t.true(after.execveMs - before.execveMs <= elapsed, 'within the elapsed time');

  before = after;
  t.is(await run(['1000', 'exec'], false), 0);
  after = counters();
  t.deepEqual(after, before);
});
