// pbash status through the daemon: the JSON snapshot (docs/status-json.md) and the plain one describe real
// Linux processes started by another client; with no instance, the answer says so and starts none.
import test from 'ava';
import { spawn } from 'node:child_process';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';
import { pbashBin } from '../helpers/pbash.js';
import { endAllHomes, homeEnv, infoOf, pbashIn, tempHome } from '../instance/homes.js';
import type { ProcessInfo, Snapshot } from '../../src/interop/protocol/status.js';

const why = rootfsUnavailableReason();
const t0 = why ? test.skip : test.serial;
if (why) test.skip(`pbash status e2e: ${why}`, () => undefined);

let root = '';
test.before(async () => { if (!why) root = await getRootfs(); });
test.after.always(endAllHomes);

test('status --json with no instance: schema 1, not running, exit 0, none started', async (t) => {
  const home = tempHome();
  const r = await pbashIn(home, ['status', '--json']);
  t.is(r.exitCode, 0, r.stderr.toString());
  t.deepEqual(JSON.parse(r.stdout.toString()), { schema: 1, running: false });
  t.is(infoOf(home), null);
});

t0("status shows `sleep 30 | cat`: both processes, their shell parent, state S, command lines", async (t) => {
  const home = tempHome();
  const child = spawn(process.execPath, [pbashBin, '--root', root, '-c', 'sleep 30 | cat'],
    { env: homeEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let snap: Snapshot | null = null;
    let procs: ProcessInfo[] = [];
    const end = Date.now() + 20_000;
    const ready = (ps: ProcessInfo[]): boolean => ['sleep', 'cat'].every((c) => ps.some((p) => p.comm === c && p.state === 'S'));
    while (Date.now() < end) {
      const r = await pbashIn(home, ['status', '--json']);
      t.is(r.exitCode, 0, r.stderr.toString());
      snap = JSON.parse(r.stdout.toString()) as Snapshot;
      procs = snap.running ? snap.distros.flatMap((d) => d.processes) : [];
      if (ready(procs)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    t.true(ready(procs), JSON.stringify(procs));
    t.is(snap!.schema, 1);
    const sleep = procs.find((p) => p.comm === 'sleep')!;
    const cat = procs.find((p) => p.comm === 'cat')!;
    t.deepEqual(sleep.cmdline, ['sleep', '30']);
    t.deepEqual(cat.cmdline, ['cat']);
    const shell = procs.find((p) => p.pid === sleep.ppid);
    t.truthy(shell, 'the parent of sleep is listed');
    t.is(cat.ppid, sleep.ppid, 'both are children of the shell');
    t.is(shell!.comm, 'sh');
    t.true(sleep.syscalls > 0 && sleep.rssBytes > 0 && sleep.threads.length === 1);
    const session = snap!.sessions.find((s) => s.pid === shell!.pid);
    t.truthy(session);
    t.is(session!.clientPid, child.pid);
    t.is(session!.terminal, false);
    t.true(snap!.syscalls.some((c) => c.name === 'wait4' || c.name === 'nanosleep' || c.name === 'clock_nanosleep'));

    const plain = await pbashIn(home, ['status']);
    t.is(plain.exitCode, 0);
    const text = plain.stdout.toString();
    t.false(text.includes('\x1b'), 'no escape codes in the plain snapshot');
    const row = (p: ProcessInfo): RegExp => new RegExp(`^\\s*${p.pid}\\s+${p.ppid}\\s.*\\sS\\s.*${p.cmdline.join(' ')}$`, 'm');
    t.regex(text, row(sleep));
    t.regex(text, row(cat));
    const header = text.split('\n').find((l) => /^\s*PID\s+PPID/.test(l))!;
    const line = text.split('\n').find((l) => row(sleep).test(l))!;
    t.is(line.indexOf(' S ') , header.indexOf(' S ') , 'the state column is aligned under its header');
  } finally {
    child.kill('SIGTERM');
    await new Promise((res) => child.on('close', res));
  }
});

t0('status --watch --json streams snapshots from one subscription until interrupted; exit 0', async (t) => {
  const home = tempHome();
  t.is((await pbashIn(home, ['list'])).exitCode, 0, 'an instance is running');
  const w = spawn(process.execPath, [pbashBin, 'status', '--watch', '--json', '--interval', '100'],
    { env: homeEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  w.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  const end = Date.now() + 15_000;
  while (out.split('\n').length < 5 && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
  w.kill('SIGINT');
  const code = await new Promise<number | null>((res) => w.on('close', res));
  t.is(code, 0);
  const snaps = out.trim().split('\n').map((l) => JSON.parse(l) as Snapshot);
  t.true(snaps.length >= 4, out);
  t.true(snaps.every((s) => s.schema === 1 && s.running === true && s.daemon.pid === infoOf(home)!.pid));
  for (let i = 1; i < snaps.length; i++) t.true(snaps[i].at > snaps[i - 1].at);
  t.is(new Set(snaps.map((s) => s.daemon.clients)).size, 1, 'one connection for the whole stream');
});
