// Distro images end to end, as a user runs them: install the busybox image, run it, export and re-import it
// through pipes, refuse hostile archives without leaving anything behind, check with fsck, unregister. The oracle for an
// archive's contents is GNU tar's own archive of the image tree (the image tarball) read member by member.
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import dns from 'node:dns';
import { isIP } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pbashBin, repoRoot, run } from '../helpers/pbash.js';
import { endAllHomes, homeEnv, pbashIn, tempHome } from '../instance/homes.js';
import { readTar } from '../../src/instance/images/tar-reader.js';
import { decompressed } from '../../src/instance/images/compression.js';

const canRun = process.getuid?.() === 0 && process.platform === 'linux' ? null : 'needs root on Linux (image trees hold root-owned files)';
const t0 = canRun ? test.skip : test.serial;
if (canRun) test.skip(`images: ${canRun}`, () => undefined);

const home = tempHome();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-images-'));
test.after.always(async () => { await endAllHomes(); fs.rmSync(tmp, { recursive: true, force: true }); });
const pb = (args: string[], opts: Parameters<typeof pbashIn>[2] = {}) => pbashIn(home, args, opts);
const sh = (line: string) => run('/bin/sh', ['-c', line.replaceAll('PBASH', `'${process.execPath}' '${pbashBin}'`)], { env: homeEnv(home), timeout: 120_000 });
let image = '';

/** An archive's members as comparable lines (type, mode, owner, mtime in s, size, link/device, name). */
async function members(file: string): Promise<string[]> {
  const out: string[] = [];
  await readTar(decompressed(fs.createReadStream(file)), async (e, body) => {
    let size = 0;
    for await (const b of body) size += b.length;
    const link = e.type === 'char' || e.type === 'block' ? `${e.devMajor},${e.devMinor}` : e.linkName;
    out.push(dropDirTimes(`${e.type} ${e.mode.toString(8)} ${e.uid}/${e.gid} ${e.mtimeNs / 1_000_000_000n} ${size} ${e.name} ${link}`));
  });
  return out.sort();
}

t0('install busybox: listed as the default, runs, and sees its own files', async (t) => {
  image = execFileSync(process.execPath, [path.join(repoRoot, 'rootfs-tools', 'build-image.mjs'), 'busybox']).toString().trim();
  const r = await pb(['install', 'busybox', '--name', 'bb'], { timeout: 120_000 });
  t.is(r.exitCode, 0, r.stderr.toString());
  const list = await pb(['list', '--json']);
  const distros = JSON.parse(list.stdout.toString()) as Array<{ name: string; default: boolean; kind: string }>;
  t.like(distros.find((d) => d.name === 'bb'), { default: true, kind: 'volfs' });
  // the same command natively, chrooted into GNU tar's extraction of the same image
  const tree = path.join(tmp, 'bb-native');
  fs.mkdirSync(tree);
  execFileSync('tar', ['-C', tree, '--numeric-owner', '-xpzf', image]);
  // (not / itself: pbash mounts /dev, /proc and /sys there, the bare chroot does not)
  const cmd = 'ls -ln /bin/sh /etc/passwd /root /usr; ls -lnd /tmp /root; cat /etc/hostname; id -u; id -g; echo hi > /tmp/f; ls -ln /tmp/f; cat /tmp/f';
  const native = execFileSync('chroot', [tree, '/bin/sh', '-c', cmd]).toString();
  const ours = await pb(['-d', 'bb', '-c', cmd]);
  t.is(ours.exitCode, 0, ours.stderr.toString());
  const noDates = (s: string) => s.replace(/ \w{3} +\d+ +[\d:]{4,5} /g, ' DATE ');
  t.is(noDates(ours.stdout.toString()), noDates(native));
  // an installed distro resolves as the host does: generated /etc/hosts and /etc/resolv.conf (docs/networking.md)
  const net = await pb(['-d', 'bb', '-c', 'grep -c "^127.0.0.1.localhost$" /etc/hosts; grep "^127.0.1.1" /etc/hosts; grep -c ^nameserver /etc/resolv.conf']);
  t.is(net.stdout.toString(), `1\n127.0.1.1\tpbash\n${dns.getServers().filter((s) => isIP(s.split('%')[0]) !== 0).length}\n`);
});

t0('export gives the image back member for member; import from a pipe and export again: the same', async (t) => {
  const out = path.join(tmp, 'bb.tar');
  const r = await pb(['export', 'bb', out]);
  t.is(r.exitCode, 0, r.stderr.toString());
  const want = await members(image);
  const got = await members(out);
  // files written by the previous test (/tmp/f) and at boot (/etc/hosts, /etc/resolv.conf) are part of the distro now
  t.deepEqual(got.filter((l) => !/ (tmp\/f|etc\/hosts|etc\/resolv\.conf) /.test(l)), want);
  const piped = await sh(`PBASH export bb - | PBASH import copy '${path.join(tmp, 'copy-store')}' -`);
  t.is(piped.exitCode, 0, piped.stderr.toString());
  const again = path.join(tmp, 'copy.tar.gz');
  t.is((await pb(['export', 'copy', again])).exitCode, 0);
  t.deepEqual(await members(again), got);
});
// directories the guest or the boot wrote into (/tmp, /etc) have new mtimes; everything else must match to the second
const dropDirTimes = (l: string): string => (l.startsWith('dir ') && / (tmp|etc) $/.test(l) ? l.replace(/ \d+ 0 /, ' T 0 ') : l);

t0("hostile archives: '..' members, a path through a symlink: refused, nothing registered, nothing left", async (t) => {
  const src = path.join(tmp, 'evil-src');
  fs.mkdirSync(src);
  fs.writeFileSync(path.join(src, 'x'), 'x');
  const dotdot = path.join(tmp, 'dotdot.tar');
  execFileSync('tar', ['-C', src, '--transform', 's,^\\./x,../../../x,', '-cf', dotdot, '.']);
  const store = path.join(tmp, 'evil-store');
  const r = await pb(['import', 'evil', store, dotdot]);
  t.is(r.exitCode, 255);
  t.regex(r.stderr.toString(), /^pbash: .*'\.\.'/);
  t.false(fs.existsSync(store));
  t.false(fs.existsSync(path.join(tmp, '..', 'x')) && fs.readFileSync(path.join(tmp, '..', 'x'), 'utf8') === 'x');
  const through = path.join(tmp, 'through.tar');
  fs.symlinkSync('/etc', path.join(src, 'esc'));
  execFileSync('tar', ['-C', src, '-cf', through, 'esc', '--transform', 's,^x$,esc/pwned,', 'x']);
  const r2 = await pb(['import', 'evil', store, through]);
  t.is(r2.exitCode, 255, r2.stdout.toString());
  t.false(fs.existsSync('/etc/pwned'));
  t.false(JSON.parse((await pb(['list', '--json'])).stdout.toString()).some((d: { name: string }) => d.name === 'evil'));
});

t0('symlinks in an imported distro resolve inside it, whatever their target', async (t) => {
  const src = path.join(tmp, 'links-src');
  fs.mkdirSync(path.join(src, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(src, 'etc', 'hostname'), 'inside\n');
  fs.symlinkSync('../../../../../../../../etc/hostname', path.join(src, 'up'));
  fs.symlinkSync('/etc/hostname', path.join(src, 'abs'));
  fs.copyFileSync(path.join(tmp, 'bb-native', 'bin', 'busybox'), path.join(src, 'busybox'));
  const tarball = path.join(tmp, 'links.tar');
  execFileSync('tar', ['-C', src, '-cf', tarball, '.']);
  t.is((await pb(['import', 'links', path.join(tmp, 'links-store'), tarball])).exitCode, 0);
  const r = await pb(['-d', 'links', '-e', '/busybox', 'cat', '/up', '/abs']);
  t.is(r.stdout.toString(), 'inside\ninside\n', r.stderr.toString());
});

t0('a session starts in the caller\'s host directory through /mnt/host; --cd overrides', async (t) => {
  const dir = fs.mkdtempSync(path.join(tmp, 'cwd-'));
  fs.writeFileSync(path.join(dir, 'host-file'), 'from the host\n');
  const r = await pb(['-d', 'bb', '-c', 'pwd; cat host-file; ls -d /mnt/host/etc'], { cwd: dir });
  t.is(r.stdout.toString(), `/mnt/host${fs.realpathSync(dir)}\nfrom the host\n/mnt/host/etc\n`, r.stderr.toString());
  const cd = await pb(['-d', 'bb', '--cd', '/tmp', '-c', 'pwd'], { cwd: dir });
  t.is(cd.stdout.toString(), '/tmp\n');
});

t0('fsck: clean; a damaged store reported by -n (4), repaired (1), clean again; refused while running unless --force', async (t) => {
  const clean = await pb(['fsck', 'bb']);
  t.is(clean.exitCode, 0, clean.stderr.toString());
  t.is(clean.stdout.toString(), 'bb: clean\n');
  // a link count one too high, as a crash between two writes could leave it without the journal
  const db = new Database(path.join(home, 'distros', 'bb', 'volfs.db'));
  db.prepare("UPDATE inode SET nlink = nlink + 1 WHERE ino = (SELECT ino FROM dirent WHERE name = CAST('busybox' AS BLOB))").run();
  db.close();
  const found = await pb(['fsck', '-n', 'bb']);
  t.is(found.exitCode, 4);
  t.regex(found.stdout.toString(), /^bb: .*link.*\nbb: problems left\n$/);
  const repaired = await pb(['fsck', 'bb']);
  t.is(repaired.exitCode, 1);
  t.regex(repaired.stdout.toString(), /: repaired\nbb: repaired\n$/);
  t.is((await pb(['fsck', 'bb'])).exitCode, 0);

  const busy = spawn(process.execPath, [pbashBin, '-d', 'bb', '-c', 'echo up; exec sleep 60'], { env: homeEnv(home) });
  const ended = new Promise((r) => busy.on('close', r));
  await new Promise<void>((r) => busy.stdout.on('data', (b: Buffer) => { if (b.toString().includes('up')) r(); }));
  const refused = await pb(['fsck', 'bb']);
  t.is(refused.exitCode, 255);
  t.regex(refused.stderr.toString(), /^pbash: bb is running: .*--force\n$/);
  const forced = await pb(['fsck', '--force', 'bb']);
  t.is(forced.exitCode, 0, forced.stderr.toString());
  await ended;
  t.is((await pb(['-d', 'bb', '-c', 'echo still works'])).stdout.toString(), 'still works\n');
  const hostDir = await pb(['fsck', fs.mkdtempSync(path.join(tmp, 'plain-'))]);
  t.is(hostDir.exitCode, 255);
});

t0('unregister removes the store; a bad name or a taken one is one clear line', async (t) => {
  const copyStore = path.join(tmp, 'copy-store');
  t.true(fs.existsSync(copyStore));
  t.is((await pb(['unregister', 'copy'])).exitCode, 0);
  t.false(fs.existsSync(copyStore));
  const again = await pb(['unregister', 'copy']);
  t.is(again.exitCode, 255);
  t.regex(again.stderr.toString(), /^pbash: no distribution named copy/);
  const taken = await pb(['install', 'busybox', '--name', 'bb']);
  t.is(taken.exitCode, 255);
  t.regex(taken.stderr.toString(), /already exists/);
  const bad = await pb(['install', 'busybox', '--name', '../x']);
  t.is(bad.exitCode, 255);
  t.regex(bad.stderr.toString(), /invalid distribution name/);
});
