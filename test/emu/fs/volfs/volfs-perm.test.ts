// Linux permission rules on VolFs for a non-root user (uid 1000): root's 0644 files, setgid directories,
// the sticky /tmp, chown and chmod by non-owners, and writes that drop setuid/setgid.
import test from 'ava';
import { E } from '../../../../src/emu/kernel/errno.js';
import { O, S_ISGID } from '../../../../src/emu/fs/constants.js';
import { lstat, perm, sc, userCreds, volWorld } from './vol-world.js';

test('uid 1000 cannot write root\'s 0644 file or create in root\'s 0755 directory, but reads them', async (t) => {
  const w = volWorld();
  const root = w.task();
  const fd = await sc.open(root, '/etc-file', O.CREAT | O.WRONLY, 0o644);
  await sc.write(root, fd, 'secret?');
  await sc.close(root, fd);
  const u = w.task(userCreds(1000));
  t.is(await sc.open(u, '/etc-file', O.WRONLY), -E.EACCES);
  t.is(await sc.open(u, '/etc-file', O.RDONLY | O.TRUNC), -E.EACCES);
  t.is(await sc.read(u, await sc.open(u, '/etc-file')), 'secret?');
  t.is(await sc.open(u, '/new', O.CREAT | O.WRONLY), -E.EACCES);
  t.is(await sc.unlink(u, '/etc-file'), -E.EACCES);
  t.is(await sc.truncate(u, '/etc-file', 0), -E.EACCES);
  await sc.mkdir(root, '/private', 0o700);
  t.is(await sc.open(u, '/private/x'), -E.EACCES);
});

test('chown by non-root is EPERM; the owner may change the group to one of its own; chmod clears setgid outside the group', async (t) => {
  const w = volWorld();
  const root = w.task();
  await sc.mkdir(root, '/home');
  await sc.chmod(root, '/home', 0o777);
  const u = w.task(userCreds(1000, 1000, [1000, 27]));
  await sc.close(u, await sc.open(u, '/home/f', O.CREAT | O.WRONLY, 0o644));
  t.is(await sc.chown(u, '/home/f', 0, -1), -E.EPERM);
  t.is(await sc.chown(u, '/home/f', -1, 0), -E.EPERM);
  t.is(await sc.chown(u, '/home/f', -1, 27), 0);
  t.is(lstat(u, '/home/f').gid, 27);
  t.is(await sc.chown(root, '/home/f', 1000, 50), 0);
  t.is(await sc.chmod(u, '/home/f', 0o2755), 0);
  t.is(perm(u, '/home/f'), 0o755); // not in group 50: setgid dropped
  const other = w.task(userCreds(1001));
  t.is(await sc.chmod(other, '/home/f', 0o777), -E.EPERM);
});

test('a setgid directory gives new files its group and new subdirectories its group and setgid bit', async (t) => {
  const w = volWorld();
  const root = w.task();
  await sc.mkdir(root, '/shared', 0o777);
  t.is(await sc.chown(root, '/shared', 0, 100), 0);
  t.is(await sc.chmod(root, '/shared', 0o2777), 0);
  const u = w.task(userCreds(1000));
  t.is(await sc.close(u, await sc.open(u, '/shared/f', O.CREAT | O.WRONLY, 0o644)), 0);
  t.is(lstat(u, '/shared/f').gid, 100);
  t.is(lstat(u, '/shared/f').uid, 1000);
  t.is(await sc.mkdir(u, '/shared/sub', 0o755), 0);
  t.is(lstat(u, '/shared/sub').gid, 100);
  t.is(lstat(u, '/shared/sub').mode & S_ISGID, S_ISGID);
  await sc.mkdir(root, '/plain');
  await sc.chmod(root, '/plain', 0o777);
  await sc.close(u, await sc.open(u, '/plain/g', O.CREAT | O.WRONLY, 0o644));
  t.is(lstat(u, '/plain/g').gid, 1000);
});

test('sticky /tmp: others\' files cannot be removed or renamed over, one\'s own can', async (t) => {
  const w = volWorld();
  const root = w.task();
  await sc.mkdir(root, '/tmp');
  t.is(await sc.chmod(root, '/tmp', 0o1777), 0);
  const a = w.task(userCreds(1000));
  const b = w.task(userCreds(1001));
  await sc.close(a, await sc.open(a, '/tmp/a', O.CREAT | O.WRONLY, 0o666));
  await sc.close(b, await sc.open(b, '/tmp/b', O.CREAT | O.WRONLY, 0o666));
  t.is(await sc.unlink(b, '/tmp/a'), -E.EPERM);
  t.is(await sc.rename(b, '/tmp/a', '/tmp/c'), -E.EPERM);
  t.is(await sc.rename(b, '/tmp/b', '/tmp/a'), -E.EPERM);
  t.is(await sc.mkdir(a, '/tmp/ad'), 0);
  t.is(await sc.rmdir(b, '/tmp/ad'), -E.EPERM);
  t.is(await sc.unlink(a, '/tmp/a'), 0);
  t.is(await sc.rmdir(a, '/tmp/ad'), 0);
  t.is(await sc.unlink(root, '/tmp/b'), 0);
});

test('a write by non-root drops setuid, and setgid with group execute or outside the group; root\'s write keeps them', async (t) => {
  const w = volWorld();
  const root = w.task();
  await sc.close(root, await sc.open(root, '/prog', O.CREAT | O.WRONLY, 0o777));
  t.is(await sc.chmod(root, '/prog', 0o6777), 0);
  let fd = await sc.open(root, '/prog', O.WRONLY);
  await sc.write(root, fd, 'x');
  t.is(perm(root, '/prog'), 0o6777);
  const u = w.task(userCreds(1000));
  fd = await sc.open(u, '/prog', O.WRONLY);
  t.is(await sc.write(u, fd, 'y'), 1);
  t.is(perm(root, '/prog'), 0o777);
  t.is(await sc.chmod(root, '/prog', 0o2666), 0); // setgid without group execute stays for the group's members
  const g = w.task(userCreds(1000, 1000, [1000, 0]));
  t.is(await sc.write(g, await sc.open(g, '/prog', O.WRONLY), 'z'), 1);
  t.is(perm(root, '/prog'), 0o2666);
  t.is(await sc.write(u, fd, 'z'), 1); // and goes for others (setattr_should_drop_sgid)
  t.is(perm(root, '/prog'), 0o666);
});
