// The distro's /etc/pbash.conf (wsl.conf's keys) and the environment a session gets from the host
// (PBASHENV, the host PATH), end to end through the daemon. Config cases run on tiny roots (the host's
// static busybox and a passwd) made per test, each its own distro with its own kernel.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';
import { endAllHomes, homeEnv, pbashIn, tempHome, until } from '../instance/homes.js';

const BUSYBOX = '/bin/busybox';
const why = rootfsUnavailableReason() ?? (fs.existsSync(BUSYBOX) ? null : `${BUSYBOX} is missing`);
const t0 = why ? test.skip : test.serial;
if (why) test.skip(`interop config: ${why}`, () => undefined);

let rootfs = '';
const home = tempHome();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-conf-'));
test.before(async () => { if (!why) rootfs = await getRootfs(); });
test.after.always(async () => { await endAllHomes(); fs.rmSync(tmp, { recursive: true, force: true }); });

let roots = 0;
/** A root with busybox as /bin/sh and its applets, root and alice (1000) in passwd, and this pbash.conf. */
function tinyRoot(conf: string | null): string {
  const r = path.join(tmp, `root${roots++}`);
  for (const d of ['bin', 'etc', 'tmp', 'dev', 'proc']) fs.mkdirSync(path.join(r, d), { recursive: true });
  fs.copyFileSync(BUSYBOX, path.join(r, 'bin', 'busybox'));
  for (const a of ['sh', 'echo', 'id', 'hostname', 'uname', 'ls', 'cat', 'test']) fs.symlinkSync('busybox', path.join(r, 'bin', a));
  fs.writeFileSync(path.join(r, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/tmp:/bin/sh\n');
  fs.writeFileSync(path.join(r, 'etc', 'group'), 'root:x:0:\nalice:x:1000:\n');
  if (conf !== null) fs.writeFileSync(path.join(r, 'etc', 'pbash.conf'), conf);
  return r;
}

const run = (root: string, cmd: string, env: NodeJS.ProcessEnv = {}) =>
  pbashIn(home, ['--root', root, '-c', cmd], { env: homeEnv(home, env) });

t0('PBASHENV=FOO/p FOO=/tmp pbash -c "echo $FOO" prints /mnt/host/tmp; /l lists, /w stays out, plain values as is', async (t) => {
  const r = await run(rootfs, 'echo "$FOO|$L|$W|$N|$PBASHENV"', { PBASHENV: 'FOO/p:L/l:W/w:N', FOO: '/tmp', L: '/usr/bin:/a b', W: '/x', N: '/tmp' });
  t.is(r.exitCode, 0, r.stderr.toString());
  t.is(r.stdout.toString(), '/mnt/host/tmp|/mnt/host/usr/bin:/mnt/host/a b||/tmp|FOO/p:L/l:W/w:N\n');
});

t0('the host PATH is appended, translated, after the Linux PATH', async (t) => {
  const r = await run(rootfs, 'echo "$PATH"', { PATH: `/opt/one:relative:${process.env.PATH}` });
  t.is(r.exitCode, 0, r.stderr.toString());
  const expected = ['/opt/one', ...process.env.PATH!.split(':')].filter((d) => d.startsWith('/')).map((d) => `/mnt/host${d}`);
  t.is(r.stdout.toString(), `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${expected.join(':')}\n`);
});

t0('[interop] appendHostPath=false keeps the Linux PATH alone', async (t) => {
  const r = await run(tinyRoot('[interop]\nappendHostPath = false\n'), 'echo "$PATH"');
  t.is(r.exitCode, 0, r.stderr.toString());
  t.is(r.stdout.toString(), '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
});

t0('[automount] root moves the host mount; enabled=false leaves none', async (t) => {
  const moved = await run(tinyRoot('[automount]\nroot = /media/\n'), 'test -d /media/host/tmp && test ! -e /mnt/host && echo "$FOO"', { PBASHENV: 'FOO/p', FOO: '/tmp' });
  t.is(moved.exitCode, 0, moved.stderr.toString());
  t.is(moved.stdout.toString(), '/media/host/tmp\n');
  const off = await run(tinyRoot('[automount]\nenabled = false\n'), 'test ! -e /mnt/host && echo none');
  t.is(off.exitCode, 0, off.stderr.toString());
  t.is(off.stdout.toString(), 'none\n');
  const on = await run(tinyRoot(null), 'test -d /mnt/host/tmp && echo mounted');
  t.is(on.stdout.toString(), 'mounted\n');
});

t0('[user] default is the user of a launch without -u; -u still wins; an unknown one warns and runs as root', async (t) => {
  const root = tinyRoot('[user]\ndefault = alice\n');
  t.is((await run(root, 'id -u')).stdout.toString(), '1000\n');
  t.is((await pbashIn(home, ['--root', root, '-u', 'root', '-c', 'id -u'])).stdout.toString(), '0\n');
  const missing = await run(tinyRoot('[user]\ndefault = bob\n'), 'id -u');
  t.is(missing.exitCode, 0);
  t.is(missing.stdout.toString(), '0\n');
  t.regex(missing.stderr.toString(), /^pbash: warning: \/etc\/pbash.conf: \[user\] default: no user bob in this distribution; root used\n$/);
});

t0('[network] hostname is what uname -n and hostname say', async (t) => {
  const r = await run(tinyRoot('[network]\nhostname = conf-host\n'), 'uname -n; hostname');
  t.is(r.exitCode, 0, r.stderr.toString());
  t.is(r.stdout.toString(), 'conf-host\nconf-host\n');
});

t0('[boot] command runs once, as root, when the distro boots', async (t) => {
  const root = tinyRoot('[boot]\ncommand = "id -u >> /tmp/boot.log"\n');
  const log = path.join(root, 'tmp', 'boot.log');
  t.is((await run(root, 'true')).exitCode, 0);
  t.true(await until(() => fs.existsSync(log) && fs.readFileSync(log, 'utf8').endsWith('\n')), 'the boot command ran');
  t.is((await run(root, 'true')).exitCode, 0);
  t.is(fs.readFileSync(log, 'utf8'), '0\n', 'once per boot, as root');
});

t0('a malformed pbash.conf: one warning line on stderr, the defaults, and the command runs', async (t) => {
  for (const conf of ['[automount\nroot', '[network]\nhostname = no_such!\n', 'garbage\n\u0000\n', '[interop]\nenabled = perhaps\nnope = 1\n']) {
    const r = await run(tinyRoot(conf), 'test -d /mnt/host/tmp && uname -n');
    t.is(r.exitCode, 0, r.stderr.toString());
    t.is(r.stdout.toString(), 'pbash\n');
    const lines = r.stderr.toString().split('\n').filter(Boolean);
    t.is(lines.length, 1, r.stderr.toString());
    t.regex(lines[0]!, /^pbash: warning: \/etc\/pbash\.conf: line \d+: .*; defaults used there$/);
  }
});
