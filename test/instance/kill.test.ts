// The `kill` control request over the real protocol against a real daemon: a signal to one Linux process
// (the shell sees its child end by that signal), refused with a clear error for pid 1, a pid that does not
// exist, a bad signal number or distro; a client without the instance's token kills nothing.
import test from 'ava';
import { spawn } from 'node:child_process';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';
import { pbashBin } from '../helpers/pbash.js';
import { InstanceError, handshake, request } from '../../src/interop/instance-client.js';
import type { KillRequest, Reply } from '../../src/interop/protocol/messages.js';
import type { ProcessInfo, Snapshot } from '../../src/interop/protocol/status.js';
import { endAllHomes, homeEnv, infoOf, tempHome, until } from './homes.js';

const why = rootfsUnavailableReason();
const t0 = why ? test.skip : test.serial;
if (why) test.skip(`kill request: ${why}`, () => undefined);

let root = '';
test.before(async () => { if (!why) root = await getRootfs(); });
test.after.always(endAllHomes);

async function ask(home: string, req: object): Promise<Reply> {
  const c = await handshake(infoOf(home)!);
  if (!c) throw new Error('no daemon');
  return request<Reply>(c.conn, req);
}

const kill = (home: string, distro: string, pid: number, signal: number): Promise<Reply> =>
  ask(home, { op: 'kill', distro, pid, signal } satisfies KillRequest);

/** The live process running `sleep SECONDS`, once the status snapshot shows it sleeping. */
async function sleeper(home: string, seconds: string): Promise<{ distro: string; p: ProcessInfo }> {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    if (infoOf(home)) {
      const s = await ask(home, { op: 'status' }) as unknown as Snapshot;
      for (const d of s.distros) {
        const p = d.processes.find((x) => x.cmdline.join(' ') === `sleep ${seconds}` && x.state === 'S');
        if (p) return { distro: d.name, p };
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sleep ${seconds} never showed up`);
}

t0('kill: SIGTERM then SIGKILL end the chosen process; pid 1, unknown pids, signals and distros are refused', async (t) => {
  const home = tempHome();
  const child = spawn(process.execPath, [pbashBin, '--root', root, '-c', 'sleep 31; echo "first $?"; sleep 32; echo "second $?"'],
    { env: homeEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  const exited = new Promise<number | null>((r) => child.on('close', r));
  try {
    const { distro, p } = await sleeper(home, '31');

    const one = await kill(home, distro, 1, 15);
    t.false(one.ok);
    t.regex(String(one.error), /pid 1 is the init/);
    const none = await kill(home, distro, 99_999, 15);
    t.false(none.ok);
    t.is(none.error, `kill: no process 99999 in ${distro}`);
    for (const bad of [0, 65, 1.5]) t.regex(String((await kill(home, distro, p.pid, bad)).error), /is not a signal number/);
    for (const bad of [0, -1]) t.regex(String((await kill(home, distro, bad, 15)).error), /is not a process id/);
    t.regex(String((await kill(home, 'no-such-distro', p.pid, 15)).error), /no distribution named no-such-distro/);

    // a client without the token: refused at the handshake; the sleep is untouched
    await t.throwsAsync(handshake({ ...infoOf(home)!, token: 'f'.repeat(64) }), { instanceOf: InstanceError, message: /wrong token/ });

    const term = await kill(home, distro, p.pid, 15);
    t.deepEqual(term, { ok: true, distro, pid: p.pid, signal: 15 });
    t.true(await until(() => /^first 143$/m.test(out), 30_000), `sleep 31 ended by SIGTERM (128+15): ${out}`);
    const second = await sleeper(home, '32');
    t.true((await kill(home, distro, second.p.pid, 9)).ok);
    t.is(await exited, 0);
    t.regex(out, /^second 137$/m, 'sleep 32 ended by SIGKILL (128+9)');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
