// Debian on VolFs: the bookworm rootfs imported once (importTree, timed), then Debian's own tools run under
// pbash on it and natively in a chroot of the same tree (an overlay over the cached rootfs, so nothing of it
// changes), outputs compared: listings, dpkg, tar of /etc, and root's chown/chmod/ln/mkfifo/mknod seen by stat.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importTree } from '../../../../src/emu/fs/volfs/import-tree.js';
import { fsck } from '../../../../src/emu/fs/volfs/fsck.js';
import { getRootfs, rootfsUnavailableReason } from '../../../helpers/rootfs.js';
import { repoRoot } from '../../../helpers/pbash.js';
import { run } from '../../../helpers/run.js';

const skip = rootfsUnavailableReason() ?? (process.getuid?.() !== 0 ? 'chroot and overlay mounts need root' : null);
const maybe = skip ? test.skip : test.serial;

const ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C', 'TERM=dumb'];
const runner = path.join(repoRoot, 'test', 'helpers', 'volfs-run.ts');
let distro = '', native = '', base = '';

test.before(async (t) => {
  if (skip) return;
  const rootfs = await getRootfs();
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-volfs-deb-'));
  distro = path.join(base, 'distro');
  const t0 = performance.now();
  const st = importTree(rootfs, distro);
  t.log(`importTree: ${st.entries} entries, ${(st.bytes / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  native = path.join(base, 'native');
  for (const d of ['upper', 'work', 'native']) fs.mkdirSync(path.join(base, d));
  execFileSync('mount', ['-t', 'overlay', 'overlay', '-o',
    `lowerdir=${rootfs},upperdir=${path.join(base, 'upper')},workdir=${path.join(base, 'work')}`, native]);
});

test.after.always(() => {
  if (native) { try { execFileSync('umount', [native]); } catch { /* not mounted */ } }
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

/** The command through /bin/sh natively (chroot) and under pbash on the VolFs copy; stdout and status must match. */
async function same(t: import('ava').ExecutionContext, cmd: string): Promise<void> {
  const [n, p] = await Promise.all([
    run('chroot', [native, '/usr/bin/env', '-i', ...ENV, '/bin/sh', '-c', cmd], { timeout: 120_000 }),
    run(process.execPath, ['--import', 'tsx', runner, distro, '/bin/sh', '-c', cmd], { timeout: 120_000, cwd: repoRoot }),
  ]);
  t.is(n.exitCode, 0, n.stderr.toString());
  t.is(p.stderr.toString(), n.stderr.toString());
  t.is(p.stdout.toString(), n.stdout.toString());
  t.is(p.exitCode, n.exitCode);
}

// Link counts are left out: the cached rootfs shares its files with another tree by hard links (natively
// every file counts 2 where the imported copy counts the links inside the tree), and overlayfs reports 1 for
// its merged directories. The unit tests check link counts; the last test checks them on files made here.
maybe('ls -l /usr/bin and find over /etc: the same modes, owners, sizes, link targets and times', async (t) => {
  await same(t, [
    'ls -lo --time-style=full-iso /usr/bin | cut -c1-11,14- | head -40',
    'find /etc /usr/sbin -printf "%M %u %g %s %l %TY-%Tm-%Td+%TT %p\\n" | sort',
  ].join('; '));
});

maybe('dpkg -l and dpkg -L read the package database the same', async (t) => {
  await same(t, 'dpkg -l | head -30; dpkg -L coreutils | head -20');
});

maybe('tar cf of /etc, then its verbose listing', async (t) => {
  await same(t, 'cd / && tar cf /tmp/etc.tar etc && tar tvf /tmp/etc.tar | sort -k6; rm /tmp/etc.tar');
});

maybe('root makes owners, modes, hard links, symlinks, FIFOs, devices; setgid and sticky directories', async (t) => {
  await same(t, [
    'mkdir /tmp/w && cd /tmp/w && touch f && chown 1000:100 f && chmod 4755 f && ln f g && ln -s f s',
    'mkfifo p && mknod c c 1 3 && mknod z c 1 5 && mknod b b 8 1 && mkdir -m 2775 sg && chown :100 sg',
    'touch sg/x && mkdir sg/sub && mkdir -m 1777 st && chmod g-s,o+t . 2>/dev/null; chmod 1777 st',
    "stat -c '%n %a %u %g %F %h %t %T %s' f g s p c z b sg sg/x sg/sub st",
    "chown 0 f && stat -c '%n %a %u' f && head -c 4 z | od -An -tx1 && mv g h && ln -f f h2 && stat -c '%n %h' f h h2",
    "rm f h && stat -c '%n %h' h2 && stat -c '%A %h %U %G %n' * | sort -k5",
  ].join(' && '));
});

maybe('fsck finds nothing wrong after the runs', (t) => {
  const r = fsck(distro);
  t.deepEqual(r.problems, []);
  t.true(r.clean);
});
