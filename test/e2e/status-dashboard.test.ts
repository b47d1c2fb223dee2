// `pbash status` on a real terminal (node-pty) while another client runs `sleep 30 | cat`: the dashboard
// draws the processes, follows a resize, sends SIGTERM to the selected sleep after the confirmation (the
// pipeline ends), and q gives the terminal back in the mode it had (stty -g before and after). Without an
// instance it shows "stopped" and follows one that starts and ends; an instance that refuses it is an error.
import test from 'ava';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';
import { pbashBin } from '../helpers/pbash.js';
import { onPty } from '../helpers/pty.js';
import { endAllHomes, homeEnv, infoOf, pbashIn, tempHome } from '../instance/homes.js';
import { homePaths, writeInfo } from '../../src/interop/run-dir.js';
import { processRows } from '../../src/cli/status/rows.js';
import type { Snapshot } from '../../src/interop/protocol/status.js';

const why = rootfsUnavailableReason();
const t0 = why ? test.skip : test.serial;
if (why) test.skip(`pbash status dashboard: ${why}`, () => undefined);

let root = '';
test.before(async () => { if (!why) root = await getRootfs(); });
test.after.always(endAllHomes);

/** The snapshot once `sleep 30` and `cat` both sleep. */
async function running(home: string): Promise<Snapshot> {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const r = await pbashIn(home, ['status', '--json']);
    const s = JSON.parse(r.stdout.toString()) as Snapshot;
    const ps = s.running ? s.distros.flatMap((d) => d.processes) : [];
    if (['sleep', 'cat'].every((c) => ps.some((p) => p.comm === c && p.state === 'S'))) return s;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('sleep 30 | cat never showed up');
}

t0('the dashboard shows sleep, k + y ends it, q quits and restores the terminal mode', async (t) => {
  const home = tempHome();
  const bg = spawn(process.execPath, [pbashBin, '--root', root, '-c', 'sleep 30 | cat'], { env: homeEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  const bgExit = new Promise<number | null>((r) => bg.on('close', r));
  const marks = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-dash-')), 'stty');
  try {
    const snap = await running(home);
    const rows = processRows(snap, null, 'tree');
    const sleep = rows.find((r) => r.command === 'sleep 30')!;
    // CI and DEV set as a CI runner or a developer's shell may have them: ink's switches, not the user's
    const screen = onPty('/bin/sh', ['-c', `stty -g > ${marks}.before; '${process.execPath}' '${pbashBin}' status; echo "status-rc=$?"; stty -g > ${marks}.after`],
      { env: homeEnv(home, { TERM: 'xterm', CI: 'true', DEV: 'true' }), cols: 80, rows: 24 });
    try {
      await screen.expect(/\x1b\[\?1049h/); // the alternate screen
      await screen.expect(/PID +PPID S +%CPU +RSS THR +TIME\+ COMMAND/);
      await screen.expect(/└─ sleep 30/);

      screen.resize(60, 24);
      await screen.expect(/PID S +%CPU +RSS COMMAND/);
      screen.resize(80, 24);
      await screen.expect(/PID +PPID S/);

      // the first row is selected; sleep is `index` rows below it in the tree
      for (let i = 0; i < rows.indexOf(sleep); i++) screen.write('\x1b[B');
      await screen.expect(new RegExp(`> +${sleep.pid} +${sleep.ppid} S [^\\r\\n]*sleep 30`));
      screen.write('k');
      await screen.expect(new RegExp(`Send SIGTERM to pid ${sleep.pid} \\(sleep 30\\)\\? \\[y/n\\]`));
      screen.write('y');
      await screen.expect(new RegExp(`SIGTERM sent to pid ${sleep.pid}`));
      // sleep ends, so cat sees EOF and the shell ends: the pipeline's client exits 0 (cat's status)
      t.is(await bgExit, 0);
      await screen.expect(/no Linux process is running/);

      screen.write('q');
      await screen.expect(/\x1b\[\?1049l/);
      await screen.expect(/status-rc=0/);
      t.is(await screen.exited, 0);
    } finally { screen.kill(); }
    const before = fs.readFileSync(`${marks}.before`, 'utf8');
    t.is(fs.readFileSync(`${marks}.after`, 'utf8'), before, 'stty -g after = before');
    t.notRegex(before, /^$/);
  } finally {
    bg.kill('SIGTERM');
    await bgExit;
    fs.rmSync(path.dirname(marks), { recursive: true, force: true });
  }
});

/** `pbash status` on a fresh pty, inside a host shell that records the terminal's mode before and after. */
function statusOnPty(home: string, marks: string) {
  return onPty('/bin/sh', ['-c', `stty -g > ${marks}.before; '${process.execPath}' '${pbashBin}' status; echo "status-rc=$?"; stty -g > ${marks}.after`],
    { env: homeEnv(home, { TERM: 'xterm' }), cols: 80, rows: 24 });
}

t0('with no instance: stopped; it follows an instance that starts, and shows stopped again after shutdown', async (t) => {
  const home = tempHome();
  const marks = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-dash-')), 'stty');
  const screen = statusOnPty(home, marks);
  try {
    await screen.expect(/instance: \S*stopped/);
    t.is(infoOf(home), null, 'the dashboard starts no instance');
    const bg = spawn(process.execPath, [pbashBin, '--root', root, '-c', 'sleep 31'], { env: homeEnv(home), stdio: 'ignore' });
    const bgExit = new Promise<number | null>((r) => bg.on('close', r));
    await screen.expect(/instance: \S*running/);
    await screen.expect(/sleep 31/);
    t.is((await pbashIn(home, ['shutdown'])).exitCode, 0);
    t.not(await bgExit, null);
    await screen.expect(/instance: \S*stopped/);
    screen.write('q');
    await screen.expect(/status-rc=0/);
    t.is(await screen.exited, 0);
  } finally { screen.kill(); }
  t.is(fs.readFileSync(`${marks}.after`, 'utf8'), fs.readFileSync(`${marks}.before`, 'utf8'));
  fs.rmSync(path.dirname(marks), { recursive: true, force: true });
});

t0('an instance that refuses the dashboard (wrong token): one line, exit 255, the terminal mode restored', async (t) => {
  const home = tempHome();
  t.is((await pbashIn(home, ['list'])).exitCode, 0);
  const info = infoOf(home)!;
  writeInfo(homePaths({ PBASH_HOME: home }), { ...info, token: '0'.repeat(64) });
  const marks = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-dash-')), 'stty');
  const screen = statusOnPty(home, marks);
  try {
    await screen.expect(/pbash: the instance refused the connection: wrong token/);
    await screen.expect(/status-rc=255/);
    t.is(await screen.exited, 0);
  } finally { screen.kill(); }
  t.is(fs.readFileSync(`${marks}.after`, 'utf8'), fs.readFileSync(`${marks}.before`, 'utf8'));
  writeInfo(homePaths({ PBASH_HOME: home }), info); // so the cleanup can shut it down
  fs.rmSync(path.dirname(marks), { recursive: true, force: true });
});

test('NO_COLOR: the dashboard draws without colours or other text styles; with colour, it has them', async (t) => {
  const draw = async (extra: NodeJS.ProcessEnv): Promise<string> => {
    const env = homeEnv(tempHome(), { TERM: 'xterm', ...extra });
    delete env.FORCE_COLOR; // chalk's own override, not what this is about
    const s = onPty(process.execPath, [pbashBin, 'status'], { env });
    try {
      await s.expect(/q quit/);
      s.write('q');
      t.is(await s.exited, 0);
    } finally { s.kill(); }
    return s.screen;
  };
  const SGR_STYLE = /\x1b\[(?:[0-9;]*;)?(?:1|2|7|3[0-7])m/; // bold, dim, inverse, a foreground colour
  t.notRegex(await draw({ NO_COLOR: '1' }), SGR_STYLE);
  t.regex(await draw({ NO_COLOR: '' }), SGR_STYLE);
});
