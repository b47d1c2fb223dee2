// Special nodes on VolFs: FIFOs opened by a reader and a writer meet on one kernel pipe, device nodes made
// by root reach the kernel's drivers by number, sockets are kept as nodes, and O_TMPFILE files get a name
// with linkat (AT_EMPTY_PATH, or /proc/self/fd with AT_SYMLINK_FOLLOW).
import test from 'ava';
import { E } from '../../../../src/emu/kernel/errno.js';
import {
  AT, O, S_IFBLK, S_IFCHR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK, makedev,
} from '../../../../src/emu/fs/constants.js';
import { call } from '../fake-task.js';
import { lstat, sc, userCreds, volWorld } from './vol-world.js';

test('a named FIFO connects its reader and writer; blocking opens wait for the other side', async (t) => {
  const w = volWorld();
  const k = w.task();
  t.is(await sc.mknod(k, '/fifo', S_IFIFO | 0o644), 0);
  t.is(lstat(k, '/fifo').mode & S_IFMT, S_IFIFO);
  t.is(await sc.open(k, '/fifo', O.WRONLY | O.NONBLOCK), -E.ENXIO); // no reader yet
  let writerOpened = false;
  const reader = sc.open(k, '/fifo', O.RDONLY); // blocks until a writer comes
  const writer = sc.open(k, '/fifo', O.WRONLY).then((fd) => { writerOpened = true; return fd; });
  const [rfd, wfd] = await Promise.all([reader, writer]);
  t.true(writerOpened && rfd >= 0 && wfd >= 0);
  t.is(await sc.write(k, wfd, 'through the fifo'), 16);
  t.is(await sc.read(k, rfd), 'through the fifo');
  t.is(k.files.get(rfd).stat().ino, lstat(k, '/fifo').ino); // fstat shows the FIFO node
  t.is(await sc.close(k, wfd), 0);
  t.is(await sc.read(k, rfd), ''); // no writers left: EOF
  const rw = await sc.open(k, '/fifo', O.RDWR); // O_RDWR never waits
  t.true(rw >= 0);
  const nb = await sc.open(k, '/fifo', O.RDONLY | O.NONBLOCK);
  t.true(nb >= 0);
});

test('device nodes: only root makes them; known numbers open the kernel\'s drivers, others ENXIO', async (t) => {
  const w = volWorld();
  const k = w.task();
  const u = w.task(userCreds(1000));
  t.is(await sc.mknod(u, '/null', S_IFCHR | 0o666, makedev(1, 3)), -E.EACCES); // the directory's permission first
  await sc.mkdir(k, '/pub');
  await sc.chmod(k, '/pub', 0o777);
  t.is(await sc.mknod(u, '/pub/null', S_IFCHR | 0o666, makedev(1, 3)), -E.EPERM); // then CAP_MKNOD
  t.is(await sc.mknod(k, '/null', S_IFCHR | 0o666, makedev(1, 3)), 0);
  t.is(await sc.mknod(k, '/zero', S_IFCHR | 0o666, makedev(1, 5)), 0);
  t.is(await sc.mknod(k, '/urandom', S_IFCHR | 0o666, makedev(1, 9)), 0);
  t.is(await sc.mknod(k, '/odd', S_IFCHR | 0o666, makedev(10, 200)), 0);
  t.is(await sc.mknod(k, '/sda', S_IFBLK | 0o660, makedev(8, 0)), 0);
  const st = lstat(k, '/sda');
  t.is(st.mode & S_IFMT, S_IFBLK);
  t.is(st.rdev, makedev(8, 0));
  t.is(lstat(k, '/null').rdev, makedev(1, 3));
  const nfd = await sc.open(k, '/null', O.RDWR);
  t.is(await sc.write(k, nfd, 'gone'), 4);
  t.is(await sc.read(k, nfd), '');
  t.is(k.files.get(nfd).stat().ino, lstat(k, '/null').ino);
  const zfd = await sc.open(k, '/zero');
  t.is(await sc.read(k, zfd, 3), '\0\0\0');
  const rfd = await sc.open(k, '/urandom');
  t.is((await sc.read(k, rfd, 16) as string).length, 16);
  t.is(await sc.open(k, '/odd'), -E.ENXIO);
  t.is(await sc.open(k, '/sda'), -E.ENXIO);
  // the node's own mode rules: a user cannot open a 0600 device node of root
  t.is(await sc.chmod(k, '/null', 0o600), 0);
  t.is(await sc.open(u, '/null', O.WRONLY), -E.EACCES);
});

test('sockets and regular files by mknod; sockets do not open', async (t) => {
  const w = volWorld();
  const k = w.task();
  const u = w.task(userCreds(1000));
  await sc.mkdir(k, '/run');
  await sc.chmod(k, '/run', 0o777);
  t.is(await sc.mknod(u, '/run/sock', S_IFSOCK | 0o755), 0);
  t.is(lstat(k, '/run/sock').mode & S_IFMT, S_IFSOCK);
  t.is(lstat(k, '/run/sock').uid, 1000);
  t.is(await sc.open(k, '/run/sock'), -E.ENXIO);
  t.is(await sc.mknod(u, '/run/reg', 0o644), 0);
  t.is(lstat(k, '/run/reg').mode & S_IFMT, S_IFREG);
});

test('O_TMPFILE: an unnamed file, named later by linkat(AT_EMPTY_PATH) or through /proc/self/fd; O_EXCL forbids it', async (t) => {
  const w = volWorld();
  const k = w.task();
  await sc.mkdir(k, '/d');
  t.is(await sc.open(k, '/d', O.TMPFILE | O.DIRECTORY | O.RDONLY), -E.EINVAL);
  const fd = await sc.open(k, '/d', O.TMPFILE | O.DIRECTORY | O.RDWR, 0o600);
  t.true(fd >= 0);
  t.is(await sc.write(k, fd, 'tmp data'), 8);
  t.is(k.files.get(fd).stat().nlink, 0);
  t.deepEqual(k.kernel.vfs.lookup(k, '/d').node.readdir(k), []);
  t.is(await call(k, 'linkat', fd, k.mem.str(''), -100, k.mem.str('/d/named'), AT.EMPTY_PATH), 0);
  t.is(lstat(k, '/d/named').nlink, 1);
  t.is(lstat(k, '/d/named').mode & 0o777, 0o600);
  t.is(await sc.read(k, await sc.open(k, '/d/named')), 'tmp data');
  // a non-root caller may not use AT_EMPTY_PATH (ENOENT)
  const u = w.task(userCreds(1000));
  await sc.chmod(k, '/d', 0o777);
  const ufd = await sc.open(u, '/d', O.TMPFILE | O.DIRECTORY | O.WRONLY);
  t.is(await call(u, 'linkat', ufd, u.mem.str(''), -100, u.mem.str('/d/u'), AT.EMPTY_PATH), -E.ENOENT);
  // through the magic link /proc/self/fd/N with AT_SYMLINK_FOLLOW
  const pfd = await sc.open(k, '/d', O.TMPFILE | O.DIRECTORY | O.WRONLY);
  t.is(await sc.link(k, `/proc/self/fd/${pfd}`, '/d/p', AT.SYMLINK_FOLLOW), 0);
  t.is(lstat(k, '/d/p').ino, k.files.get(pfd).stat().ino);
  // O_EXCL: never linkable
  const xfd = await sc.open(k, '/d', O.TMPFILE | O.DIRECTORY | O.WRONLY | O.EXCL);
  t.is(await call(k, 'linkat', xfd, k.mem.str(''), -100, k.mem.str('/d/x'), AT.EMPTY_PATH), -E.ENOENT);
  // the unnamed inode disappears at close
  const ino = k.files.get(xfd).stat().ino;
  t.not(w.fs.store.get(ino), null);
  await sc.close(k, xfd);
  t.is(w.fs.store.get(ino), null);
});
