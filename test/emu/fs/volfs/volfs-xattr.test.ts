// Extended attributes on VolFs: the user/trusted/security namespaces, XATTR_CREATE/REPLACE, ENODATA, ERANGE,
// E2BIG, who may read and write them, and their survival across a reopen.
import test from 'ava';
import { E } from '../../../../src/emu/kernel/errno.js';
import { O } from '../../../../src/emu/fs/constants.js';
import { sc, userCreds, volWorld } from './vol-world.js';

const XATTR_CREATE = 1, XATTR_REPLACE = 2;

test('set, get, list, remove with CREATE/REPLACE, ENODATA and ERANGE; kept across a reopen', async (t) => {
  const w = volWorld();
  const k = w.task();
  await sc.close(k, await sc.open(k, '/f', O.CREAT | O.WRONLY));
  t.is(await sc.getxattr(k, '/f', 'user.a'), -E.ENODATA);
  t.is(await sc.setxattr(k, '/f', 'user.a', 'one'), 0);
  t.is(await sc.setxattr(k, '/f', 'user.a', 'two', XATTR_CREATE), -E.EEXIST);
  t.is(await sc.setxattr(k, '/f', 'user.b', 'x', XATTR_REPLACE), -E.ENODATA);
  t.is(await sc.setxattr(k, '/f', 'user.a', 'three', XATTR_REPLACE), 0);
  t.is(await sc.setxattr(k, '/f', 'trusted.t', 'T'), 0);
  t.is(await sc.setxattr(k, '/f', 'security.capability', '\x01\x00\x00\x02'), 0);
  t.is(await sc.setxattr(k, '/f', 'user.empty', ''), 0);
  t.is(await sc.getxattr(k, '/f', 'user.a'), 'three');
  t.is(await sc.getxattr(k, '/f', 'user.a', 0), 5);
  t.is(await sc.getxattr(k, '/f', 'user.a', 2), -E.ERANGE);
  t.is(await sc.getxattr(k, '/f', 'user.empty'), '');
  t.is(await sc.setxattr(k, '/f', 'bogus.x', 'v'), -E.EOPNOTSUPP);
  t.is(await sc.setxattr(k, '/f', 'user.', 'v'), -E.EOPNOTSUPP);
  t.is(await sc.setxattr(k, '/f', `user.${'n'.repeat(251)}`, 'v'), -E.ERANGE);
  t.is(await sc.setxattr(k, '/f', 'user.big', 'v'.repeat(65537)), -E.E2BIG);
  t.deepEqual(await sc.listxattr(k, '/f'), ['security.capability', 'trusted.t', 'user.a', 'user.empty']);
  const len = await sc.listxattr(k, '/f', 0);
  t.is(len, 'security.capability\0trusted.t\0user.a\0user.empty\0'.length);
  t.is(await sc.listxattr(k, '/f', 4), -E.ERANGE);
  t.is(await sc.removexattr(k, '/f', 'user.empty'), 0);
  t.is(await sc.removexattr(k, '/f', 'user.empty'), -E.ENODATA);
  w.fs.close();
  const again = volWorld(w.dir);
  const k2 = again.task();
  t.is(await sc.getxattr(k2, '/f', 'security.capability'), '\x01\x00\x00\x02');
  t.deepEqual(await sc.listxattr(k2, '/f'), ['security.capability', 'trusted.t', 'user.a']);
  again.fs.close();
});

test('non-root: trusted.* hidden, security.* read-only, user.* follows the file mode, not on symlinks', async (t) => {
  const w = volWorld();
  const root = w.task();
  await sc.close(root, await sc.open(root, '/f', O.CREAT | O.WRONLY, 0o644));
  await sc.setxattr(root, '/f', 'trusted.t', 'T');
  await sc.setxattr(root, '/f', 'security.s', 'S');
  await sc.setxattr(root, '/f', 'user.u', 'U');
  await sc.symlink(root, '/f', '/l');
  const u = w.task(userCreds(1000));
  t.is(await sc.getxattr(u, '/f', 'trusted.t'), -E.ENODATA);
  t.deepEqual(await sc.listxattr(u, '/f'), ['security.s', 'user.u']);
  t.is(await sc.getxattr(u, '/f', 'security.s'), 'S');
  t.is(await sc.setxattr(u, '/f', 'security.s', 'X'), -E.EPERM);
  t.is(await sc.setxattr(u, '/f', 'trusted.x', 'X'), -E.EPERM);
  t.is(await sc.getxattr(u, '/f', 'user.u'), 'U');
  t.is(await sc.setxattr(u, '/f', 'user.u', 'X'), -E.EACCES);
  t.is(await sc.setxattr(root, '/l', 'user.u', 'X'), -E.EPERM);
  t.is(await sc.getxattr(root, '/l', 'user.u'), -E.ENODATA);
});
