// mount(2), umount2(2), chroot(2) and the tmpfs mounts under pbash, driven by util-linux mount/umount,
// coreutils df and chroot on the Debian rootfs: what /proc/self/mountinfo shows, EROFS after a read-only
// remount, EBUSY and EPERM as Linux gives them, ENOSPC at size=. Mountpoints live on the instance's own
// tmpfs (/run, /dev/shm): the shared rootfs is never written.
import test from 'ava';
import { getRootfs, rootfsUnavailableReason } from '../../helpers/rootfs.js';
import { pbashShell } from '../../helpers/pbash.js';

const why = rootfsUnavailableReason();
const t0 = why ? test.skip : test;
let root = '';
test.before(async () => { if (!why) root = await getRootfs(); });

async function sh(cmd: string, user?: string): Promise<{ out: string; code: number }> {
  const r = await pbashShell(root, cmd, { user });
  return { out: r.stdout.toString('latin1') + r.stderr.toString('latin1'), code: r.exitCode };
}

t0('the standard tmpfs mounts: /dev/shm, /run, /run/lock with Debian\'s options; df lists them', async (t) => {
  const { out } = await sh('cat /proc/mounts; df -k /dev/shm /run/lock; stat -f -c %T /run');
  t.regex(out, /^tmpfs \/dev\/shm tmpfs rw,nosuid,nodev 0 0$/m);
  t.regex(out, /^mqueue \/dev\/mqueue mqueue rw,nosuid,nodev,noexec,relatime 0 0$/m, 'as systemd mounts it');
  t.regex(out, /^tmpfs \/run tmpfs rw,nosuid,nodev,noexec,relatime,size=\d+k,mode=755 0 0$/m);
  t.regex(out, /^tmpfs \/run\/lock tmpfs rw,nosuid,nodev,noexec,relatime,size=5120k 0 0$/m);
  t.regex(out, /^tmpfs\s+5120\s+0\s+5120\s+0% \/run\/lock$/m);
  t.regex(out, /^tmpfs$/m, 'statfs magic of tmpfs');
});

t0('mount -t tmpfs with size= and mode=, ENOSPC at the limit, remount read-only gives EROFS, umount', async (t) => {
  const { out, code } = await sh('mkdir -p /run/m1 && mount -t tmpfs -o size=64k,mode=700,uid=1,gid=2 src1 /run/m1; '
    + 'grep " /run/m1 " /proc/self/mountinfo; stat -c "%a %u %g" /run/m1; '
    + 'dd if=/dev/zero of=/run/m1/f bs=16k count=8 2>&1 | head -1; stat -c %s /run/m1/f; '
    + 'mount -o remount,ro /run/m1; grep " /run/m1 " /proc/mounts; touch /run/m1/g; '
    + 'umount /run/m1; grep -c /run/m1 /proc/mounts; rmdir /run/m1');
  t.regex(out, /^\d+ \d+ 0:\d+ \/ \/run\/m1 rw,relatime - tmpfs src1 rw,size=64k,mode=700,uid=1,gid=2$/m);
  t.regex(out, /^700 1 2$/m);
  t.regex(out, /No space left on device/);
  t.regex(out, /^65536$/m);
  t.regex(out, /^src1 \/run\/m1 tmpfs ro,relatime,size=64k,mode=700,uid=1,gid=2 0 0$/m);
  t.regex(out, /touch: cannot touch '\/run\/m1\/g': Read-only file system/);
  t.regex(out, /^0$/m);
  t.is(code, 0, out);
});

t0('bind mounts show a directory again (mountinfo root field); umount is EBUSY while a cwd is inside', async (t) => {
  const { out } = await sh('mkdir -p /run/b1 && mount --bind /etc /run/b1 && cat /run/b1/hostname >/dev/null && echo bound; '
    + 'grep " /run/b1 " /proc/self/mountinfo; (cd /run/b1 && umount /run/b1); umount /run/b1 && echo gone; rmdir /run/b1');
  t.regex(out, /^bound$/m);
  t.regex(out, /^\d+ \d+ \d+:\d+ \/etc \/run\/b1 rw/m);
  t.regex(out, /umount: \/run\/b1: target is busy/);
  t.regex(out, /^gone$/m);
});

t0('mount proc elsewhere lists the same processes; umount of a non-mountpoint is EINVAL', async (t) => {
  const { out } = await sh('mkdir -p /run/p1 && mount -t proc proc /run/p1 && readlink /run/p1/self && echo $$; '
    + 'umount /run/p1; mkdir /run/lock/x; umount /run/lock/x 2>&1; rmdir /run/p1');
  const lines = out.trim().split('\n');
  t.regex(lines[0]!, /^\d+$/);
  t.regex(out, /umount: \/run\/lock\/x: not mounted/);
});

t0('only root mounts, unmounts and chroots (EPERM)', async (t) => {
  const { out } = await sh('mount -t tmpfs x /tmp; umount /dev/shm; chroot / true', 'nobody');
  t.regex(out, /must be superuser to use mount/);
  t.regex(out, /must be superuser to unmount/);
  t.regex(out, /chroot: cannot change root directory to '\/': Operation not permitted/);
});

t0('chroot: absolute paths and ".." stay inside the new root', async (t) => {
  const { out } = await sh('mkdir -p /dev/shm/jail/bin && cp /usr/local/bin/busybox /dev/shm/jail/bin/ && '
    + 'chroot /dev/shm/jail /bin/busybox sh -c "cd /../..; /bin/busybox pwd; /bin/busybox ls /"');
  t.is(out, '/\nbin\n');
});
