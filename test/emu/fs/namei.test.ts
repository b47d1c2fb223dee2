// Path walk edge cases: symlink loops, ".." at the root and at mount roots, symlinks that try to leave the
// root, trailing slashes, name length limits, mount crossing.
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { E } from '../../../src/emu/kernel/errno.js';
import { AT, AT_FDCWD, O, S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from '../../../src/emu/fs/constants.js';
import { FsContext } from '../../../src/emu/fs/fs-context.js';
import { call, world } from './fake-task.js';

const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-outside-'));
fs.writeFileSync(path.join(outside, 'secret'), 'secret');

const w = world((dir) => {
  fs.writeFileSync(path.join(dir, 'f'), 'hello');
  fs.mkdirSync(path.join(dir, 'd'));
  fs.writeFileSync(path.join(dir, 'd', 'inner'), 'inner');
  fs.symlinkSync('loop', path.join(dir, 'loop'));
  fs.symlinkSync('l2', path.join(dir, 'l1'));
  fs.symlinkSync('l1', path.join(dir, 'l2'));
  fs.symlinkSync('/', path.join(dir, 'toroot'));
  fs.symlinkSync('../../..', path.join(dir, 'up'));
  fs.symlinkSync(path.join(outside, 'secret'), path.join(dir, 'escape'));
  fs.symlinkSync('d', path.join(dir, 'ld'));
  fs.symlinkSync('created', path.join(dir, 'dangling'));
  fs.mkdirSync(path.join(dir, 'proc'));
  fs.writeFileSync(path.join(dir, 'proc', 'hostfile'), 'host');
});

const open = (t: ReturnType<typeof w.task>, p: string, flags = O.RDONLY, mode = 0o644) =>
  call(t, 'openat', AT_FDCWD, t.mem.str(p), flags, mode);

async function statMode(t: ReturnType<typeof w.task>, p: string, flags = 0): Promise<number> {
  const buf = t.mem.alloc(144);
  const r = await call(t, 'newfstatat', AT_FDCWD, t.mem.str(p), buf, flags);
  return r < 0 ? r : t.mem.readU32(buf + 24);
}

async function readAll(t: ReturnType<typeof w.task>, fd: number): Promise<string> {
  const buf = t.mem.alloc(256);
  const n = await call(t, 'read', fd, buf, 256);
  return n < 0 ? `error ${n}` : t.mem.text(buf, n);
}

async function cwd(t: ReturnType<typeof w.task>): Promise<string> {
  const buf = t.mem.alloc(4096);
  const n = await call(t, 'getcwd', buf, 4096);
  return t.mem.text(buf, n - 1);
}

test('symlink loops end in ELOOP', async (t) => {
  const k = w.task();
  t.is(await open(k, 'loop'), -E.ELOOP);
  t.is(await open(k, 'l1'), -E.ELOOP);
  t.is(await statMode(k, 'l1/x'), -E.ELOOP);
  t.is((await statMode(k, 'l1', AT.SYMLINK_NOFOLLOW)) & S_IFMT, S_IFLNK);
});

test('".." at the root stays at the root', async (t) => {
  const k = w.task();
  t.is(await call(k, 'chdir', k.mem.str('/../../..')), 0);
  t.is(await cwd(k), '/');
  t.is(await readAll(k, await open(k, '../../f')), 'hello');
});

test('symlinks to "/" and "../../.." stay inside the root; absolute host targets resolve in the guest', async (t) => {
  const k = w.task();
  t.is(await readAll(k, await open(k, 'toroot/f')), 'hello');
  t.is(await readAll(k, await open(k, 'd/../up/f')), 'hello');
  t.is(await readAll(k, await open(k, '/toroot/toroot/up/d/inner')), 'inner');
  t.is(await open(k, 'escape'), -E.ENOENT);
});

test('a chroot-style task root is a jail for ".." and absolute symlinks', async (t) => {
  const k = w.task();
  const d = k.kernel.vfs.lookup(k, '/d');
  (k as { fs: FsContext }).fs = new FsContext(d, d);
  t.is(await readAll(k, await open(k, '../../inner')), 'inner');
  t.is(await readAll(k, await open(k, '/inner')), 'inner');
  t.is(await cwd(k), '/');
});

test('trailing slashes require directories', async (t) => {
  const k = w.task();
  t.is(await open(k, 'f/'), -E.ENOTDIR);
  t.is(await open(k, 'f/x'), -E.ENOTDIR);
  t.true(await open(k, 'd/') >= 0);
  t.true(await open(k, 'ld/') >= 0);
  t.is((await statMode(k, 'ld/', AT.SYMLINK_NOFOLLOW)) & S_IFMT, S_IFDIR);
  t.is(await open(k, 'newfile/', O.CREAT | O.WRONLY), -E.EISDIR);
  t.is(await call(k, 'mkdir', k.mem.str('nd/'), 0o755), 0);
  t.is(await call(k, 'rmdir', k.mem.str('nd/')), 0);
  t.is(await call(k, 'unlink', k.mem.str('f/')), -E.ENOTDIR);
  t.is(await call(k, 'symlink', k.mem.str('x'), k.mem.str('sl/')), -E.ENOENT);
});

test('ENAMETOOLONG for a name over 255 bytes and a path of 4096', async (t) => {
  const k = w.task();
  t.is(await open(k, 'a'.repeat(255)), -E.ENOENT);
  t.is(await open(k, 'a'.repeat(256)), -E.ENAMETOOLONG);
  t.is(await open(k, 'd/'.repeat(2048)), -E.ENAMETOOLONG);
});

test('O_NOFOLLOW, O_PATH, O_CREAT through symlinks, O_EXCL', async (t) => {
  const k = w.task();
  t.is(await open(k, 'ld', O.RDONLY | O.NOFOLLOW), -E.ELOOP);
  const p = await open(k, 'ld', O.PATH | O.NOFOLLOW);
  t.true(p >= 0);
  const buf = k.mem.alloc(144);
  t.is(await call(k, 'fstat', p, buf), 0);
  t.is(k.mem.readU32(buf + 24) & S_IFMT, S_IFLNK);
  t.is(await call(k, 'read', p, buf, 1), -E.EBADF);
  t.is(await open(k, 'dangling', O.CREAT | O.EXCL | O.WRONLY), -E.EEXIST);
  t.true(await open(k, 'dangling', O.CREAT | O.WRONLY) >= 0);
  t.true(fs.existsSync(path.join(w.dir, 'created')));
  t.is(await open(k, '/', O.CREAT | O.RDONLY), -E.EISDIR);
  t.is(await open(k, 'd', O.WRONLY), -E.EISDIR);
  t.is(await open(k, 'f', O.DIRECTORY), -E.ENOTDIR);
});

test('AT_EMPTY_PATH and dirfd-relative walks', async (t) => {
  const k = w.task();
  const dfd = await open(k, 'd', O.RDONLY | O.DIRECTORY);
  t.is(await readAll(k, await call(k, 'openat', dfd, k.mem.str('inner'), O.RDONLY, 0)), 'inner');
  const buf = k.mem.alloc(144);
  t.is(await call(k, 'newfstatat', dfd, k.mem.str(''), buf, AT.EMPTY_PATH), 0);
  t.is(k.mem.readU32(buf + 24) & S_IFMT, S_IFDIR);
  t.is(await call(k, 'newfstatat', dfd, k.mem.str(''), buf, 0), -E.ENOENT);
  const ffd = await open(k, 'f');
  t.is(await call(k, 'openat', ffd, k.mem.str('x'), O.RDONLY, 0), -E.ENOTDIR);
  t.is(await call(k, 'openat', 999, k.mem.str('x'), O.RDONLY, 0), -E.EBADF);
  t.is(await readAll(k, await call(k, 'openat', 999, k.mem.str('/f'), O.RDONLY, 0)), 'hello');
});

test('mounts: /dev and /proc are ours, ".." from a mount root returns to its parent', async (t) => {
  const k = w.task();
  t.is((await statMode(k, '/dev/null')) & S_IFMT, S_IFCHR);
  t.is(await open(k, '/proc/hostfile'), -E.ENOENT);
  t.is(await call(k, 'chdir', k.mem.str('/dev')), 0);
  t.is(await cwd(k), '/dev');
  t.is(await call(k, 'chdir', k.mem.str('..')), 0);
  t.is(await cwd(k), '/');
  t.is(await readAll(k, await open(k, '/proc/self/../../f')), 'hello');
  t.is((await statMode(k, '/dev/../d')) & S_IFMT, S_IFDIR);
  t.is((await statMode(k, '/sys')) & S_IFMT, S_IFDIR);
  t.is(await call(k, 'rmdir', k.mem.str('/dev')), -E.EBUSY);
  t.is(await call(k, 'rename', k.mem.str('/f'), k.mem.str('/dev/f')), -E.EXDEV);
  t.is((await statMode(k, '/f')) & S_IFMT, S_IFREG);
});
