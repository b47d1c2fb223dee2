// The distro's /etc/pbash.conf (wsl.conf's keys) and the environment a session gets from the host
// (PBASHENV, the host PATH), end to end through the daemon. Config cases run on tiny roots (the host's
// static busybox and a passwd) made per test, each its own distro with its own kernel.
import test from 'ava';
import { execFileSync } from 'node:child_process';
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
function tinyRoot(conf: string | null, fstab?: string): string {
  const r = path.join(tmp, `root${roots++}`);
  for (const d of ['bin', 'etc', 'tmp', 'dev', 'proc', 'usr/bin']) fs.mkdirSync(path.join(r, d), { recursive: true });
  fs.copyFileSync(BUSYBOX, path.join(r, 'bin', 'busybox'));
  for (const a of ['sh', 'echo', 'id', 'hostname', 'uname', 'ls', 'cat', 'test', 'stat', 'chmod', 'chown', 'mv', 'rm', 'touch', 'mkdir']) fs.symlinkSync('busybox', path.join(r, 'bin', a));
  fs.writeFileSync(path.join(r, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/tmp:/bin/sh\n');
  fs.writeFileSync(path.join(r, 'etc', 'group'), 'root:x:0:\nalice:x:1000:\n');
  if (conf !== null) fs.writeFileSync(path.join(r, 'etc', 'pbash.conf'), conf);
  if (fstab !== undefined) fs.writeFileSync(path.join(r, 'etc', 'fstab'), fstab);
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
    t.regex(lines[0]!, /^pbash: warning: \/etc\/pbash\.conf line \d+: .* \(skipped: defaults used\)$/);
  }
});

t0('[automount] options: uid, gid, umask, fmask, dmask shape what stat shows of host files; chmod there is EPERM', async (t) => {
  const scratch = fs.mkdtempSync(path.join(tmp, 'drv-'));
  fs.writeFileSync(path.join(scratch, 'f'), 'x');
  fs.mkdirSync(path.join(scratch, 'd'));
  const root = tinyRoot('[automount]\noptions = "uid=1000,gid=1001,umask=002,fmask=111,dmask=020"\n');
  const r = await run(root, `cd /mnt/host${scratch} && stat -c '%n %u %g %a' f d; chmod 600 f; echo $?`);
  t.is(r.stdout.toString(), 'f 1000 1001 664\nd 1000 1001 755\n1\n');
  t.regex(r.stderr.toString(), /chmod: f: Operation not permitted/);
});

t0('[automount] options = metadata: chmod and chown of host files kept by the instance, across a reboot of the distro', async (t) => {
  const scratch = fs.mkdtempSync(path.join(tmp, 'meta-'));
  fs.writeFileSync(path.join(scratch, 'f'), 'x');
  fs.chmodSync(path.join(scratch, 'f'), 0o644);
  const root = tinyRoot('[automount]\noptions = metadata\n');
  const d = `/mnt/host${scratch}`;
  const r = await run(root, `chown 1234:5678 ${d}/f && chmod 4751 ${d}/f && stat -c '%a %u %g' ${d}/f`);
  t.is(r.exitCode, 0, r.stderr.toString());
  t.is(r.stdout.toString(), '4751 1234 5678\n');
  t.is(fs.statSync(path.join(scratch, 'f')).mode & 0o7777, 0o644, 'the host file keeps its mode');
  t.is((await pbashIn(home, ['terminate', root])).exitCode, 0);
  const after = await run(root, `stat -c '%a %u %g' ${d}/f; mkdir ${d}/sub; mv ${d}/f ${d}/sub/g; stat -c '%a %u' ${d}/sub/g; touch ${d}/f; stat -c '%a' ${d}/f`);
  t.is(after.exitCode, 0, after.stderr.toString());
  t.is(after.stdout.toString(), `4751 1234 5678\n4751 1234\n${(0o666 & ~0o022).toString(8)}\n`, 'kept across a reboot, moved by mv; a new file shows the host mode');
});

t0('pbash path: wslpath options on the host side, with the default distro\'s automount root; errors: one line, status 1', async (t) => {
  const root = tinyRoot('[automount]\nroot = /media\n');
  t.is((await pbashIn(home, ['set-default', root])).exitCode, 0);
  const p = (args: string[]) => pbashIn(home, ['path', ...args], { cwd: tmp });
  const tricky = '/tmp/a b/c:d\\e*?"<>|\u00e9';
  t.is((await p([tricky])).stdout.toString(), `/media/host${tricky}\n`);
  t.is((await p(['-w', `/media/host${tricky}`])).stdout.toString(), `${tricky}\n`);
  t.is((await p(['-m', '/media/host'])).stdout.toString(), '/\n');
  t.is((await p(['-w', '/etc/passwd'])).stdout.toString(), `${root}/etc/passwd\n`, 'a --root distro: its own tree');
  t.is((await p(['-a', '-u', 'rel x'])).stdout.toString(), `/media/host${tmp}/rel x\n`, '-a: from the host cwd');
  const bad = await p(['-w']);
  t.is(bad.exitCode, 1);
  t.is(bad.stderr.toString(), 'pbash path: usage: [-a] [-u|-w|-m] PATH\n');
});

t0('[automount] mountFsTab: /etc/fstab mounted at boot (tmpfs, drvfs); an entry that cannot be warns; false: none', async (t) => {
  const hostDir = fs.mkdtempSync(path.join(tmp, 'fstab-'));
  fs.writeFileSync(path.join(hostDir, 'seen'), 'from the host\n');
  const fstab = [
    '# comment', 'UUID=1234 / ext4 errors=remount-ro 0 1', 'tmpfs /scratch tmpfs size=1m,mode=1777,nosuid 0 0',
    `${hostDir.replace(/ /g, '\\040')} /data drvfs uid=7 0 0`, '/dev/sdz1 /other ext4 defaults 0 2', 'tmpfs /later tmpfs noauto 0 0',
  ].join('\n') + '\n';
  const root = tinyRoot(null, fstab);
  for (const d of ['scratch', 'data', 'other', 'later']) fs.mkdirSync(path.join(root, d));
  const r = await run(root, "stat -c '%a' /scratch; cat /data/seen; stat -c '%u' /data/seen; cat /proc/mounts | while read a b c d; do echo \"$b $c\"; done");
  t.is(r.exitCode, 0, r.stderr.toString());
  const out = r.stdout.toString().split('\n');
  t.deepEqual(out.slice(0, 3), ['1777', 'from the host', '7']);
  t.true(out.includes('/scratch tmpfs'));
  t.false(out.some((l) => l.startsWith('/other ') || l.startsWith('/later ')));
  t.regex(r.stderr.toString(), /^pbash: warning: \/etc\/fstab line 5: \/other: No such device \(skipped: defaults used\)\n$/);
  const off = tinyRoot('[automount]\nmountFsTab = false\n', fstab);
  fs.mkdirSync(path.join(off, 'scratch'));
  const r2 = await run(off, "cat /proc/mounts | while read a b c d; do echo \"$b\"; done");
  t.false(r2.stdout.toString().split('\n').includes('/scratch'));
  t.is(r2.stderr.toString(), '');
});

t0('pbashpath inside Linux: a kernel builtin at /usr/bin/pbashpath; exact round trips of tricky names; errors as wslpath', async (t) => {
  const r = await run(rootfs, [
    'command -v pbashpath', "stat -c '%A %s' /usr/bin/pbashpath", 'pbashpath /tmp', "pbashpath -w '/mnt/host/tmp/a b'",
    'pbashpath -m /mnt/host', 'pbashpath -w /etc/passwd', 'cd /mnt/host/usr && pbashpath -aw lib', 'pbashpath -w /etc/x | cat',
    'pbashpath -w; echo "status $?"',
    'for n in "a b" "c:d" "e\\\\f" "g*?" "h\\"i" "<>|" "é ü" "-x"; do p="/tmp/$n"; l=$(pbashpath -u -- "$p"); h=$(pbashpath -w -- "$l");',
    '  [ "$h" = "$p" ] && [ "$l" = "/mnt/host$p" ] || echo "mismatch: $p -> $l -> $h"; done',
  ].join('\n'));
  t.is(r.exitCode, 0, r.stderr.toString());
  t.is(r.stdout.toString(), [
    '/usr/bin/pbashpath', `-rwxr-xr-x ${'pbashpath: a program built into the pbash kernel\n'.length}`, '/mnt/host/tmp', '/tmp/a b', '/',
    `${rootfs}/etc/passwd`, '/usr/lib', `${rootfs}/etc/x`, 'status 1', '',
  ].join('\n'));
  t.is(r.stderr.toString(), 'pbashpath: usage: [-a] [-u|-w|-m] PATH\n');
});

t0('pbashpath follows the distro\'s automount root; without automount there is no host path', async (t) => {
  const moved = await run(tinyRoot('[automount]\nroot = /media/\n'), 'pbashpath /tmp; pbashpath -w /media/host/x');
  t.is(moved.stdout.toString(), '/media/host/tmp\n/x\n');
  const off = await run(tinyRoot('[automount]\nenabled = false\n'), 'pbashpath /tmp; echo "status $?"');
  t.is(off.stdout.toString(), 'status 1\n');
  t.is(off.stderr.toString(), 'pbashpath: /tmp: no host mount (automount is disabled)\n');
});

t0('a pbash.conf that is /dev/zero, a FIFO or 2 MiB long: refused with a warning, the boot goes on', async (t) => {
  const zero = tinyRoot(null);
  fs.symlinkSync('/dev/zero', path.join(zero, 'etc', 'pbash.conf'));
  const fifo = tinyRoot(null);
  execFileSync('mkfifo', [path.join(fifo, 'etc', 'pbash.conf')]);
  const big = tinyRoot(`[network]\nhostname = big\n${'#'.repeat(2 << 20)}\n`);
  for (const [root, why] of [[zero, 'Invalid argument'], [fifo, 'Invalid argument'], [big, 'File too large']] as const) {
    const r = await run(root, 'uname -n');
    t.is(r.exitCode, 0, r.stderr.toString());
    t.is(r.stdout.toString(), 'pbash\n');
    t.is(r.stderr.toString(), `pbash: warning: /etc/pbash.conf cannot be read (${why}) (skipped: defaults used)\n`);
  }
});
