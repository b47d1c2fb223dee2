// VolFs through the file syscalls: owners, modes, symlinks, hard links and link counts, names of any bytes,
// atomic rename (NOREPLACE, EXCHANGE, directories), unlink while open, sparse files, timestamps, statfs,
// and everything kept across a reopen of the store (stable inode numbers).
import test from 'ava';
import { existsSync as fsExists } from 'node:fs';
import { call } from '../fake-task.js';
import { E } from '../../../../src/emu/kernel/errno.js';
import { O, RENAME_EXCHANGE, RENAME_NOREPLACE, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, MAGIC } from '../../../../src/emu/fs/constants.js';
import { lstat, perm, sc, volWorld } from './vol-world.js';

test('owners, full modes and symlinks survive a reopen with the same inode numbers', async (t) => {
  const w = volWorld();
  const k = w.task();
  t.is(await sc.mkdir(k, '/d', 0o755), 0);
  const fd = await sc.open(k, '/d/f', O.CREAT | O.WRONLY, 0o644);
  t.is(await sc.write(k, fd, 'data'), 4);
  t.is(await sc.close(k, fd), 0);
  t.is(await sc.chown(k, '/d/f', 1234, 5678), 0);
  t.is(await sc.chmod(k, '/d/f', 0o7755), 0);
  t.is(perm(k, '/d/f'), 0o7755);
  t.is(await sc.symlink(k, '../d/f', '/d/l'), 0);
  const ino = lstat(k, '/d/f').ino;
  w.fs.close();

  const again = volWorld(w.dir);
  const k2 = again.task();
  const st = lstat(k2, '/d/f');
  t.is(st.ino, ino);
  t.is(st.mode, S_IFREG | 0o7755);
  t.is(st.uid, 1234);
  t.is(st.gid, 5678);
  t.is(st.size, 4);
  t.is(lstat(k2, '/d/l').mode & S_IFMT, S_IFLNK);
  t.is(await sc.readlink(k2, '/d/l'), '../d/f');
  t.is(lstat(k2, '/d/l').size, 6);
  const r = await sc.open(k2, '/d/l');
  t.is(await sc.read(k2, r), 'data');
  again.fs.close();
});

test('chown clears setuid (and setgid with group execute) of files, even by root', async (t) => {
  const w = volWorld();
  const k = w.task();
  await sc.close(k, await sc.open(k, '/f', O.CREAT | O.WRONLY, 0o755));
  t.is(await sc.chmod(k, '/f', 0o6755), 0);
  t.is(await sc.chown(k, '/f', 1, 1), 0);
  t.is(perm(k, '/f'), 0o755);
  t.is(await sc.chmod(k, '/f', 0o2644), 0); // setgid without group execute stays (mandatory-lock marker)
  t.is(await sc.chown(k, '/f', 2, 2), 0);
  t.is(perm(k, '/f'), 0o2644);
  t.is(await sc.mkdir(k, '/dir', 0o755), 0);
  t.is(await sc.chmod(k, '/dir', 0o3775), 0);
  t.is(await sc.chown(k, '/dir', 5, 5), 0);
  t.is(perm(k, '/dir'), 0o3775);
});

test('hard links share the inode and count links; directories count subdirectories', async (t) => {
  const w = volWorld();
  const k = w.task();
  await sc.mkdir(k, '/a');
  await sc.close(k, await sc.open(k, '/a/f', O.CREAT | O.WRONLY));
  t.is(await sc.link(k, '/a/f', '/a/g'), 0);
  t.is(await sc.link(k, '/a/f', '/h'), 0);
  t.is(lstat(k, '/a/f').nlink, 3);
  t.is(lstat(k, '/h').ino, lstat(k, '/a/f').ino);
  t.is(await sc.link(k, '/a', '/b'), -E.EPERM);
  t.is(await sc.link(k, '/a/f', '/h'), -E.EEXIST);
  t.is(lstat(k, '/a').nlink, 2);
  await sc.mkdir(k, '/a/s1');
  await sc.mkdir(k, '/a/s2');
  t.is(lstat(k, '/a').nlink, 4);
  const rootLinks = lstat(k, '/').nlink;
  t.is(await sc.rmdir(k, '/a/s1'), 0);
  t.is(lstat(k, '/a').nlink, 3);
  t.is(await sc.unlink(k, '/a/g'), 0);
  t.is(lstat(k, '/h').nlink, 2);
  t.is(await sc.rename(k, '/a/s2', '/s2'), 0);
  t.is(lstat(k, '/a').nlink, 2);
  t.is(lstat(k, '/').nlink, rootLinks + 1);
  t.is(await sc.rmdir(k, '/a'), -E.ENOTEMPTY);
});

test('names are any bytes but / and NUL, case-sensitive', async (t) => {
  const w = volWorld();
  const k = w.task();
  const names = ['A', 'a', 'CON', 'aux.txt', 'sp ace', 'tab\t', 'nl\n', 'bs\\', 'q?*:<>|"', '\xff\xfe\x01', 'é', 'x'.repeat(255)];
  for (const n of names) t.is(await sc.close(k, await sc.open(k, `/${n}`, O.CREAT | O.WRONLY)), 0, n);
  t.is(await sc.open(k, `/${'x'.repeat(256)}`, O.CREAT | O.WRONLY), -E.ENAMETOOLONG);
  const fd = await sc.open(k, '/', O.RDONLY | O.DIRECTORY);
  t.true(fd >= 0);
  const listed = k.kernel.vfs.lookup(k, '/').node.readdir(k).map((e) => e.name).sort();
  t.deepEqual(listed, [...names].sort());
  t.not(lstat(k, '/A').ino, lstat(k, '/a').ino);
});

test('rename: replace, RENAME_NOREPLACE, RENAME_EXCHANGE, directory over an empty directory only', async (t) => {
  const w = volWorld();
  const k = w.task();
  const mk = async (p: string, s: string) => { const fd = await sc.open(k, p, O.CREAT | O.WRONLY); await sc.write(k, fd, s); await sc.close(k, fd); };
  await mk('/x', 'X');
  await mk('/y', 'Y');
  t.is(await sc.rename(k, '/x', '/y', RENAME_NOREPLACE), -E.EEXIST);
  t.is(await sc.rename(k, '/x', '/y', RENAME_EXCHANGE), 0);
  t.is(await sc.read(k, await sc.open(k, '/x')), 'Y');
  t.is(await sc.read(k, await sc.open(k, '/y')), 'X');
  const yIno = lstat(k, '/y').ino;
  t.is(await sc.rename(k, '/y', '/x'), 0);
  t.is(lstat(k, '/x').ino, yIno);
  t.is(await sc.open(k, '/y'), -E.ENOENT);
  await sc.mkdir(k, '/d1');
  await sc.mkdir(k, '/d2');
  await mk('/d2/f', '');
  t.is(await sc.rename(k, '/d1', '/d2'), -E.ENOTEMPTY);
  t.is(await sc.unlink(k, '/d2/f'), 0);
  t.is(await sc.rename(k, '/d1', '/d2'), 0);
  t.is(lstat(k, '/d2').mode & S_IFMT, S_IFDIR);
  t.is(await sc.rename(k, '/d2', '/d2/sub'), -E.EINVAL);
  t.is(await sc.rename(k, '/x', '/d2'), -E.EISDIR);
  t.is(await sc.rename(k, '/d2', '/x'), -E.ENOTDIR);
  await sc.mkdir(k, '/d3');
  t.is(await sc.rename(k, '/x', '/d3', RENAME_EXCHANGE), 0); // exchange of a file and a directory
  t.is(lstat(k, '/x').mode & S_IFMT, S_IFDIR);
});

test('unlink while open: the data stays readable and writable through the fd, freed at the last close', async (t) => {
  const w = volWorld();
  const k = w.task();
  const fd = await sc.open(k, '/f', O.CREAT | O.RDWR);
  await sc.write(k, fd, 'hello');
  const ino = lstat(k, '/f').ino;
  const blob = w.fs.blobs.path(ino);
  t.is(await sc.unlink(k, '/f'), 0);
  t.is(await sc.open(k, '/f'), -E.ENOENT);
  t.is(await sc.write(k, fd, ' world'), 6);
  t.is(await call(k, 'lseek', fd, 0, 0), 0);
  t.is(await sc.read(k, fd), 'hello world');
  t.is(k.files.get(fd).stat().nlink, 0);
  t.not(w.fs.store.get(ino), null);
  t.true(fsExists(blob));
  t.is(await sc.close(k, fd), 0);
  t.is(w.fs.store.get(ino), null);
  t.false(fsExists(blob));
});

test('sparse files: truncate and writes past the end leave holes that read as zeros; st_blocks from the host', async (t) => {
  const w = volWorld();
  const k = w.task();
  const fd = await sc.open(k, '/s', O.CREAT | O.RDWR);
  t.is(await sc.pwrite(k, fd, 'end', 10 * 1024 * 1024), 3);
  const st = lstat(k, '/s');
  t.is(st.size, 10 * 1024 * 1024 + 3);
  t.true(st.blocks < 100, `blocks ${st.blocks}`);
  const a = k.mem.alloc(8);
  t.is(await call(k, 'pread64', fd, a, 8, 4096), 8);
  t.deepEqual([...k.mem.read(a, 8)], [0, 0, 0, 0, 0, 0, 0, 0]);
  t.is(await sc.truncate(k, '/s', 1 << 30), 0);
  t.is(lstat(k, '/s').size, 1 << 30);
  t.is(await call(k, 'lseek', fd, 0, 2), 1 << 30);
  t.is(await sc.truncate(k, '/s', 2), 0);
  t.is(lstat(k, '/s').size, 2);
});

test('timestamps: nanoseconds kept, mtime/ctime move on write, birth time fixed; statfs is ext4-like', async (t) => {
  const w = volWorld();
  const k = w.task();
  const fd = await sc.open(k, '/f', O.CREAT | O.RDWR);
  const born = lstat(k, '/f').btimeNs!;
  t.truthy(born);
  const ts = k.mem.alloc(32);
  k.mem.writeU64(ts, 1_000_000_001n); k.mem.writeU64(ts + 8, 123_456_789n);
  k.mem.writeU64(ts + 16, 1_500_000_002n); k.mem.writeU64(ts + 24, 987_654_321n);
  t.is(await call(k, 'utimensat', -100, k.mem.str('/f'), ts, 0), 0);
  let st = lstat(k, '/f');
  t.is(st.atimeNs, 1_000_000_001_123_456_789n);
  t.is(st.mtimeNs, 1_500_000_002_987_654_321n);
  const before = st.ctimeNs;
  await new Promise((r) => setTimeout(r, 5));
  await sc.write(k, fd, 'x');
  st = lstat(k, '/f');
  t.true(st.mtimeNs > 1_500_000_002_987_654_321n);
  t.true(st.ctimeNs >= before);
  t.is(st.btimeNs, born);
  await sc.close(k, fd);
  w.fs.close();
  const again = volWorld(w.dir);
  t.is(lstat(again.task(), '/f').mtimeNs, st.mtimeNs); // written to the store at close
  const sfs = again.fs.statfs();
  t.is(sfs.type, MAGIC.EXT4);
  t.true(sfs.blocks > 0 && sfs.bfree > 0);
  again.fs.close();
});
