// The limits that keep a fork bomb from taking the instance down: RLIMIT_NPROC per user (EAGAIN for a
// non-root uid past its `ulimit -u`) and the kernel-wide task limit (EAGAIN for anyone at maxTasks).
import test from 'ava';
import { Kernel } from '../../../src/emu/kernel/kernel.js';
import { rootCreds } from '../../../src/emu/kernel/spawn.js';
import { createSessionTerminal } from '../../../src/emu/fs/tty/session-terminal.js';
import { compileStatic } from '../../helpers/compile.js';
import { getRootfs, rootfsUnavailableReason } from '../../helpers/rootfs.js';
import { pbashExec } from '../../helpers/pbash.js';

test('the kernel-wide task limit: fork and clone get EAGAIN at maxTasks, even as root, and the slots come back', async (t) => {
  const root = compileStatic('fork-limit');
  const kernel = new Kernel({ root, log: () => {}, maxTasks: 8 });
  const term = createSessionTerminal(kernel, { rows: 24, cols: 80 });
  let out = '';
  term.onOutput((b) => { out += Buffer.from(b).toString('latin1'); });
  const proc = kernel.spawn({ argv: ['/fork-limit'], envp: [], cwd: '/', creds: rootCreds(), stdio: [term.slave, term.slave, term.slave] });
  t.is(await proc.exited, 0);
  await new Promise((r) => setImmediate(r));
  // 8 tasks: init, the program and 6 children
  t.is(out.replace(/\r/g, ''), 'forked 6 children, then EAGAIN\npthread_create at the limit: EAGAIN\nafter reaping, fork: ok\n');
});

// A bash fork bomb as user nobody with `ulimit -u 20`, in its own session and process group. While it
// sits at its limit the kernel still runs other commands; SIGKILL to its group ends every member.
const BOMB = `
setsid bash -c 'ulimit -u 20; b() { b | b & }; b; wait' &
pg=$!
sleep 3
/bin/echo "during the bomb: a new command runs"
kill -9 -$pg
wait $pg
sleep 1
kill -0 -$pg 2>/dev/null && echo "group still there" || echo "group gone"
kill -0 -1 2>/dev/null && echo "other processes left" || echo "nothing else left"
/bin/echo after
`;

const why = rootfsUnavailableReason();
(why ? test.skip : test)(`a fork bomb under ulimit -u meets EAGAIN and dies with its process group${why ? ` (${why})` : ''}`, async (t) => {
  const root = await getRootfs();
  const r = await pbashExec(root, ['/bin/bash', '-c', BOMB], { user: 'nobody', cd: '/', timeout: 60_000 });
  t.regex(r.stderr.toString(), /fork: (retry: )?Resource temporarily unavailable/);
  t.is(r.stdout.toString(), 'during the bomb: a new command runs\ngroup gone\nnothing else left\nafter\n');
  t.is(r.exitCode, 0);
});
