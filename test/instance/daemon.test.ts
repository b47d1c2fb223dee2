// The instance daemon's lifecycle, driven through bin/pbash as users drive it: started on first use,
// reused, exactly one under a stampede, stale or older instances replaced, idle and requested shutdown.
import test from 'ava';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pidAlive } from '../../src/interop/run-dir.js';
import { daemonLog, endAllHomes, homeEnv, infoOf, pbashIn, tempHome, until } from './homes.js';

test.after.always(endAllHomes);

test('status without an instance says so and starts none', async (t) => {
  const home = tempHome();
  const r = await pbashIn(home, ['status']);
  t.is(r.exitCode, 0, r.stderr.toString());
  t.regex(r.stdout.toString(), /not running/);
  t.is(infoOf(home), null);
});

test('the first client starts the daemon; the next ones reuse it; run dir 0700, files 0600', async (t) => {
  const home = tempHome();
  const a = await pbashIn(home, ['list']);
  t.is(a.exitCode, 0, a.stderr.toString());
  const info = infoOf(home)!;
  t.true(pidAlive(info.pid));
  t.not(info.pid, process.pid);
  t.is(info.token.length, 64);
  const b = await pbashIn(home, ['status']);
  t.is(b.exitCode, 0);
  t.regex(b.stdout.toString(), new RegExp(`running, pid ${info.pid}`));
  t.is(infoOf(home)!.pid, info.pid);
  const mode = (p: string): number => fs.statSync(p).mode & 0o777;
  t.is(mode(path.join(home, 'run')), 0o700);
  t.is(mode(path.join(home, 'run', 'instance.json')), 0o600);
  t.is(mode(info.socket), 0o600);
  t.regex(daemonLog(home), /listening on/);
});

test('20 clients at once start exactly one daemon', async (t) => {
  const home = tempHome();
  const rs = await Promise.all(Array.from({ length: 20 }, () => pbashIn(home, ['list'], { timeout: 60_000 })));
  for (const r of rs) t.is(r.exitCode, 0, r.stderr.toString());
  t.is(daemonLog(home).match(/listening on/g)?.length, 1);
  t.true(pidAlive(infoOf(home)!.pid));
});

test('a stale run directory (dead pid, socket nobody listens on) is replaced without the user noticing', async (t) => {
  const home = tempHome();
  const run = path.join(home, 'run');
  fs.mkdirSync(run, { recursive: true, mode: 0o700 });
  const dead = 2 ** 22 + 12345; // above pid_max: never alive
  fs.writeFileSync(path.join(run, 'instance.json'), JSON.stringify({ pid: dead, version: '0.0.0-stale', protocol: 1, socket: path.join(run, 'pbash.sock'), token: 'x', startedAt: 0 }));
  fs.writeFileSync(path.join(run, 'daemon.lock'), String(dead));
  fs.writeFileSync(path.join(run, 'start.lock'), String(dead));
  fs.writeFileSync(path.join(run, 'pbash.sock'), '');
  const r = await pbashIn(home, ['list']);
  t.is(r.exitCode, 0, r.stderr.toString());
  t.not(infoOf(home)!.pid, dead);

  // a live pid (ours) whose socket refuses connections: also stale
  const home2 = tempHome();
  const run2 = path.join(home2, 'run');
  fs.mkdirSync(run2, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(run2, 'instance.json'), JSON.stringify({ pid: process.pid, version: '0.0.0-stale', protocol: 1, socket: path.join(run2, 'nothing.sock'), token: 'x', startedAt: 0 }));
  const r2 = await pbashIn(home2, ['list']);
  t.is(r2.exitCode, 0, r2.stderr.toString());
  t.not(infoOf(home2)!.pid, process.pid);
});

test('a daemon of another version is replaced; it retires once its clients are gone', async (t) => {
  const home = tempHome();
  t.is((await pbashIn(home, ['list'])).exitCode, 0);
  const old = infoOf(home)!;
  // pretend the running daemon is an older pbash
  fs.writeFileSync(path.join(home, 'run', 'instance.json'), JSON.stringify({ ...old, version: '0.0.1' }));
  const r = await pbashIn(home, ['list']);
  t.is(r.exitCode, 0, r.stderr.toString());
  const now = infoOf(home)!;
  t.not(now.pid, old.pid);
  t.true(await until(() => !pidAlive(old.pid)), 'the old daemon exits');
  t.true(pidAlive(now.pid));
  t.regex(daemonLog(home), /retiring/);
});

test('idle grace: the daemon exits after its last client (PBASH_IDLE_MS) and cleans its run dir', async (t) => {
  const home = tempHome();
  const r = await pbashIn(home, ['list'], { env: homeEnv(home, { PBASH_IDLE_MS: '300' }) });
  t.is(r.exitCode, 0);
  const { pid } = infoOf(home)!;
  t.true(await until(() => !pidAlive(pid), 8000));
  t.is(infoOf(home), null);
  t.regex(daemonLog(home), /idle for 300 ms/);
});

test('pbash shutdown ends the daemon and returns when it is gone; without one it does nothing', async (t) => {
  const home = tempHome();
  t.is((await pbashIn(home, ['shutdown'])).exitCode, 0);
  t.is(infoOf(home), null);
  t.is((await pbashIn(home, ['list'])).exitCode, 0);
  const { pid } = infoOf(home)!;
  const r = await pbashIn(home, ['shutdown']);
  t.is(r.exitCode, 0, r.stderr.toString());
  t.false(pidAlive(pid));
  t.is(infoOf(home), null);
});

/** Raw bytes to the daemon; resolves with what it sent back when it closes the connection. */
function exchange(socket: string, bytes: Buffer, end = false): Promise<Buffer> {
  return new Promise((resolve) => {
    const s = net.connect(socket);
    const got: Buffer[] = [];
    s.on('data', (b) => got.push(b));
    s.on('error', () => undefined);
    s.on('close', () => resolve(Buffer.concat(got)));
    s.on('connect', () => { s.write(bytes); if (end) s.end(); });
  });
}

test('a wrong or missing token, a wrong version and bad frames end only that connection, logged', async (t) => {
  const { hello, json, PROTOCOL_VERSION, T } = await import('../../src/interop/protocol/messages.js');
  const home = tempHome();
  t.is((await pbashIn(home, ['list'])).exitCode, 0);
  const info = infoOf(home)!;
  const refused = await exchange(info.socket, hello('not-the-token'));
  t.is(refused[4], T.REFUSED);
  t.regex(refused.subarray(5).toString(), /wrong token/);
  const versioned = hello(info.token);
  versioned.writeUInt16BE(PROTOCOL_VERSION + 1, 9);
  t.regex((await exchange(info.socket, versioned)).toString(), /protocol version/);
  t.is((await exchange(info.socket, Buffer.from('GET / HTTP/1.0\r\n\r\n'))).length, 0, 'garbage instead of a handshake');
  // authenticated, then: not JSON, an oversized frame, a truncated frame
  const bad = Buffer.from([0, 0, 0, 3, T.REQUEST, 0x7b, 0x7b]);
  const oversized = Buffer.from([0x7f, 0, 0, 0, T.DATA]);
  const truncated = json(T.REQUEST, { op: 'status' }).subarray(0, 8);
  for (const tail of [bad, oversized]) await exchange(info.socket, Buffer.concat([hello(info.token), tail]));
  await exchange(info.socket, Buffer.concat([hello(info.token), truncated]), true);
  const log = daemonLog(home);
  t.regex(log, /refused: wrong token/);
  t.regex(log, /refused: protocol version/);
  t.regex(log, /malformed frame: .*not JSON/);
  t.regex(log, /oversized frame/);
  t.regex(log, /truncated frame/);
  const after = await pbashIn(home, ['status']);
  t.is(after.exitCode, 0);
  t.regex(after.stdout.toString(), new RegExp(`pid ${info.pid}`), 'the same daemon still serves');
});
