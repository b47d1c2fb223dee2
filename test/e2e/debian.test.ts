// The Debian image installed as a distro (VolFs), checked against the same tree natively in a chroot: the
// whole filesystem listing, dpkg's database, installing a package, users and permissions; then a crash:
// kill -9 of the daemon in the middle of a `tar x` leaves a store the check finds consistent, with every
// file extracted before the kill intact.
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';
import { pbashBin, repoRoot, run } from '../helpers/pbash.js';
import { endAllHomes, homeEnv, infoOf, pbashIn, tempHome, until } from '../instance/homes.js';

const why = rootfsUnavailableReason() ?? (process.getuid?.() === 0 ? null : 'needs root (chroot)');
const t0 = why ? test.skip : test.serial;
if (why) test.skip(`debian distro: ${why}`, () => undefined);

const home = tempHome();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-debian-'));
/** GNU tar's extraction of the image `pbash install debian` imported: the same tree, natively. */
let root = '';
test.before(async () => {
  if (why) return;
  await getRootfs();
  const image = execFileSync(process.execPath, [path.join(repoRoot, 'rootfs-tools', 'build-image.mjs'), 'debian']).toString().trim();
  root = path.join(tmp, 'native');
  fs.mkdirSync(root);
  execFileSync('tar', ['-C', root, '--numeric-owner', '--xattrs', '--xattrs-include=*', '-xpzf', image]);
});
test.after.always(async () => { await endAllHomes(); fs.rmSync(tmp, { recursive: true, force: true }); });
const pb = (args: string[], opts: Parameters<typeof pbashIn>[2] = {}) => pbashIn(home, args, { timeout: 600_000, ...opts });
const native = (cmd: string, input?: Buffer) =>
  execFileSync('chroot', [root, '/bin/sh', '-c', cmd], { input, maxBuffer: 1 << 28, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' } }).toString();

t0('install debian; the whole tree lists as it does natively (find -xdev, owners, modes, sizes, links)', async (t) => {
  const r = await pb(['install', 'debian', '--name', 'deb']);
  t.is(r.exitCode, 0, r.stderr.toString());
  // directories' own sizes are the filesystem's business (ext4 grows them, VolFs says 4096); under pbash
  // /dev, /proc, /sys, /run are mounts (-xdev stops there), natively plain directories of the image; the
  // host mount and the kernel's builtin /usr/bin/pbashpath exist only under pbash; /etc/hosts and
  // /etc/resolv.conf are written at each boot (docs/networking.md)
  const find = "find / -xdev \\( -type d -printf '%M %u %g - %p\\n' \\) -o -printf '%M %u %g %s %l %p\\n' | LC_ALL=C sort";
  const skip = (s: string) => s.split('\n').filter((l) => !/ \/(dev|proc|sys|run|mnt\/host|usr\/bin\/pbashpath|etc\/hosts|etc\/resolv\.conf)(\/.*)?$/.test(l)).join('\n');
  const ours = await pb(['-d', 'deb', '-c', find]);
  t.is(ours.exitCode, 0, ours.stderr.toString());
  t.is(skip(ours.stdout.toString()), skip(native(find)));
});

t0('dpkg -l lists the same packages; dpkg -i of a local package installs it and it runs', async (t) => {
  const ours = await pb(['-d', 'deb', '-c', 'dpkg -l']);
  t.is(ours.stdout.toString(), native('dpkg -l'));
  const pkg = path.join(tmp, 'pkg');
  fs.mkdirSync(path.join(pkg, 'DEBIAN'), { recursive: true });
  fs.mkdirSync(path.join(pkg, 'usr', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'DEBIAN', 'control'), 'Package: pbash-hello\nVersion: 1.0\nArchitecture: all\nMaintainer: pbash tests <t@example.org>\nDescription: a test package\n');
  fs.writeFileSync(path.join(pkg, 'usr', 'bin', 'pbash-hello'), '#!/bin/sh\necho hello from a package\n', { mode: 0o755 });
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', pkg, path.join(tmp, 'hello.deb')], { stdio: 'ignore' });
  const r = await pb(['-d', 'deb', '-c', 'cat > /tmp/hello.deb && dpkg -i /tmp/hello.deb >/dev/null && pbash-hello && dpkg -l pbash-hello | tail -1'],
    { input: fs.readFileSync(path.join(tmp, 'hello.deb')) });
  t.is(r.exitCode, 0, r.stderr.toString());
  t.regex(r.stdout.toString(), /^hello from a package\nii {2}pbash-hello +1\.0 +all +a test package\n$/);
});

/** A package with a conffile, a maintainer script that writes state and registers an alternative. */
function keepPackage(): Buffer {
  const pkg = path.join(tmp, 'keep');
  const put = (rel: string, text: string, mode = 0o644) => {
    fs.mkdirSync(path.dirname(path.join(pkg, rel)), { recursive: true });
    fs.writeFileSync(path.join(pkg, rel), text, { mode });
  };
  put('DEBIAN/control', 'Package: pbash-keep\nVersion: 2.1\nArchitecture: all\nMaintainer: pbash tests <t@example.org>\nDescription: kept across restarts\n');
  put('DEBIAN/conffiles', '/etc/pbash-keep.conf\n');
  put('DEBIAN/postinst', '#!/bin/sh\nset -e\nmkdir -p /var/lib/pbash-keep && echo "configured $1" > /var/lib/pbash-keep/state\n' +
    'update-alternatives --quiet --install /usr/bin/keep-alt keep-alt /usr/bin/pbash-keep 10\n', 0o755);
  put('etc/pbash-keep.conf', 'setting=1\n');
  put('usr/bin/pbash-keep', '#!/bin/sh\necho kept and running\n', 0o755);
  put('usr/share/doc/pbash-keep/copyright', 'none\n');
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', pkg, path.join(tmp, 'keep.deb')], { stdio: 'ignore' });
  return fs.readFileSync(path.join(tmp, 'keep.deb'));
}

t0('a package installed with apt-get survives a daemon restart: its database entry, files, conffile, alternative and statoverride read as natively', async (t) => {
  const deb = keepPackage();
  const install = 'cat > /tmp/keep.deb && apt-get -o Dpkg::Use-Pty=0 install -y /tmp/keep.deb >/dev/null 2>&1 && ' +
    'dpkg-statoverride --update --add root root 0750 /usr/bin/pbash-keep && echo local=2 >> /etc/pbash-keep.conf && echo installed';
  const ours = await pb(['-d', 'deb', '-c', install], { input: deb });
  t.is(ours.stdout.toString(), native(install, deb), ours.stderr.toString());
  const before = infoOf(home)!.pid;
  t.is((await pb(['shutdown'])).exitCode, 0);
  const query = [
    'dpkg -s pbash-keep', 'dpkg -L pbash-keep', 'dpkg --verify pbash-keep; echo "verify $?"', 'dpkg --audit; echo "audit $?"',
    'cat /etc/pbash-keep.conf /var/lib/pbash-keep/state', 'keep-alt', 'update-alternatives --query keep-alt',
    "stat -c '%a %U %G %n' /usr/bin/pbash-keep", 'dpkg-statoverride --list /usr/bin/pbash-keep', 'apt-mark showmanual pbash-keep',
    'dpkg -r pbash-keep >/dev/null && dpkg -l pbash-keep | tail -1 && ls /usr/bin/keep-alt 2>&1; true',
  ].join('; ');
  const after = await pb(['-d', 'deb', '-c', query]);
  t.not(infoOf(home)!.pid, before, 'a new daemon serves the distro');
  t.is(after.stderr.toString(), '');
  t.regex(after.stdout.toString(), /^Status: install ok installed$[^]*^kept and running$[^]*^750 root root \/usr\/bin\/pbash-keep$/m);
  t.is(after.stdout.toString(), native(query));
});

t0('procps and friends inside the installed distro describe its processes: ps, pgrep, pidof, kill, free, uptime, df', async (t) => {
  const r = await pb(['-d', 'deb', '-c', [
    'sleep 60 & s=$!', 'echo "shell $$ sleep $s"', 'ps -o pid=,ppid=,stat=,comm= -p $s', 'pgrep -x sleep', 'pidof sleep',
    'free -k | sed -n 2p', 'uptime', 'df -P / | tail -1', 'kill $s', 'wait $s; echo "status $?"',
  ].join('; ')]);
  t.is(r.exitCode, 0, r.stderr.toString());
  const [ids, ps, pgrep, pidof, free, uptime, df, status] = r.stdout.toString().split('\n');
  const [, shell, sleep] = /^shell (\d+) sleep (\d+)$/.exec(ids)!;
  t.regex(ps, new RegExp(`^\\s*${sleep}\\s+${shell}\\s+S\\S*\\s+sleep$`));
  t.is(pgrep, sleep);
  t.is(pidof, sleep);
  t.regex(free, /^Mem:\s+[1-9]\d*\s+\d+\s+\d+/);
  t.regex(uptime, /up .*load average: [\d.]+, [\d.]+, [\d.]+$/);
  t.regex(df, /^\S+\s+\d+\s+\d+\s+\d+\s+\d+%\s+\/$/);
  t.is(status, 'status 143');
});

t0("useradd -m u: su u cannot write root's files, can write its own home", async (t) => {
  const r = await pb(['-d', 'deb', '-c', 'useradd -m u && su u -c "touch /root/x"; echo "root: $?"; su u -c "touch ~/x && stat -c \'%U %G %a\' ~/x"; echo "home: $?"']);
  t.is(r.stdout.toString(), 'root: 1\nu u 644\nhome: 0\n', r.stderr.toString());
  t.regex(r.stderr.toString(), /touch: cannot touch '\/root\/x': Permission denied/);
});

t0('kill -9 of the daemon during tar x: the store checks clean, files extracted before the kill are intact', async (t) => {
  const src = path.join(tmp, 'many');
  for (let d = 0; d < 50; d++) {
    fs.mkdirSync(path.join(src, `d${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(src, `d${d}`, `f${f}`), `${d}/${f} `.repeat(50 + f));
  }
  const tarball = execFileSync('tar', ['-C', src, '-cf', '-', '.'], { maxBuffer: 1 << 28 });
  const child = spawn(process.execPath, [pbashBin, '-d', 'deb', '-c', 'mkdir -p /x && cd /x && tar xvf -'], { env: homeEnv(home), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => { /* the daemon's death ends the session: stdin breaks */ });
  child.stdin.end(tarball);
  let listed = '';
  child.stdout.on('data', (b: Buffer) => { listed += b.toString(); });
  const exited = new Promise((r) => child.on('close', r));
  t.true(await until(() => listed.split('\n').length > 1500, 300_000), 'tar got going');
  const pid = infoOf(home)!.pid;
  process.kill(pid, 'SIGKILL');
  await exited;
  const names = listed.split('\n').filter((n) => /^\.\/d\d+\/f\d+$/.test(n));
  const done = names.slice(0, -1); // tar names a member before extracting it: the last one may be partial
  const fscked = await pb(['fsck', '-n', 'deb']); // what a user runs after a crash: no problem (leftovers are by design)
  t.is(fscked.exitCode, 0, fscked.stdout.toString());
  t.regex(fscked.stdout.toString(), /deb: clean\n$/);
  // a fresh instance serves the distro; every completed file has its bytes
  const check = await pb(['-d', 'deb', '-c', `cd /x && md5sum ${done.join(' ')}`]);
  t.is(check.exitCode, 0, check.stderr.toString().slice(0, 500));
  const want = await run('/bin/sh', ['-c', `cd '${src}' && md5sum ${done.join(' ')}`]);
  t.is(check.stdout.toString(), want.stdout.toString());
  t.true(done.length > 1000);
});
