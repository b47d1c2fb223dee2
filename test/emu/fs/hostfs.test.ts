// hostfs through the syscalls on a temp directory: read/write/lseek, getdents64, rename, unlink, stat, links.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E } from '../../../src/emu/kernel/errno.js';
import { AT, AT_FDCWD, O, RENAME_EXCHANGE, RENAME_NOREPLACE, S_IFMT, S_IFREG, SEEK_END, SEEK_SET } from '../../../src/emu/fs/constants.js';
import { call, world } from './fake-task.js';

type T = ReturnType<ReturnType<typeof world>['task']>;
const open = (t: T, p: string, flags = O.RDONLY, mode = 0o644) => call(t, 'openat', AT_FDCWD, t.mem.str(p), flags, mode);
const put = (t: T, s: string) => { const a = t.mem.alloc(s.length); t.mem.write(a, Buffer.from(s, 'latin1')); return a; };

/** Names in a directory fd via getdents64, with their d_off cookies. */
async function listDir(t: T, fd: number, bufSize = 4096): Promise<{ name: string; off: number; type: number }[]> {
  const out = [];
  const buf = t.mem.alloc(bufSize);
  for (;;) {
    const n = await call(t, 'getdents64', fd, buf, bufSize);
    if (n <= 0) { if (n < 0) throw new Error(`getdents64 ${n}`); return out; }
    for (let o = 0; o < n;) {
      const reclen = t.mem.read(buf + o + 16, 2);
      const len = reclen[0]! | (reclen[1]! << 8);
      const name = t.mem.text(buf + o + 19, len - 19).replace(/\0.*$/s, '');
      out.push({ name, off: Number(t.mem.readBig(buf + o + 8)), type: t.mem.read(buf + o + 18, 1)[0]! });
      o += len;
    }
  }
}

test('create, write, read back, O_APPEND, pread/pwrite, lseek', async (t) => {
  const w = world();
  const k = w.task();
  const fd = await open(k, '/a.txt', O.CREAT | O.RDWR | O.TRUNC, 0o640);
  t.true(fd >= 0);
  t.is(fs.statSync(path.join(w.dir, 'a.txt')).mode & 0o777, 0o640 & ~0o022);
  t.is(await call(k, 'write', fd, put(k, 'hello world'), 11), 11);
  t.is(await call(k, 'lseek', fd, 0, SEEK_SET), 0);
  const buf = k.mem.alloc(64);
  t.is(await call(k, 'read', fd, buf, 64), 11);
  t.is(k.mem.text(buf, 11), 'hello world');
  t.is(await call(k, 'pwrite64', fd, put(k, 'W'), 1, 6), 1);
  t.is(await call(k, 'pread64', fd, buf, 5, 6), 5);
  t.is(k.mem.text(buf, 5), 'World');
  t.is(await call(k, 'pread64', fd, buf, 5, -1), -E.EINVAL);
  t.is(await call(k, 'lseek', fd, 0, SEEK_END), 11);
  t.is(await call(k, 'lseek', fd, -20, SEEK_SET), -E.EINVAL);
  const ap = await open(k, '/a.txt', O.WRONLY | O.APPEND);
  t.is(await call(k, 'write', ap, put(k, '!'), 1), 1);
  t.is(fs.readFileSync(path.join(w.dir, 'a.txt'), 'latin1'), 'hello World!');
  t.is(await call(k, 'read', ap, buf, 1), -E.EBADF);
  const ro = await open(k, '/a.txt');
  t.is(await call(k, 'write', ro, put(k, 'x'), 1), -E.EBADF);
  t.is(await call(k, 'ftruncate', fd, 5), 0);
  t.is(fs.readFileSync(path.join(w.dir, 'a.txt'), 'latin1'), 'hello');
});

test('readv/writev gather across buffers; dup shares the position', async (t) => {
  const w = world();
  const k = w.task();
  const fd = await open(k, '/v', O.CREAT | O.RDWR);
  const iov = k.mem.alloc(32);
  k.mem.writeU64(iov, put(k, 'abc'));
  k.mem.writeU64(iov + 8, 3);
  k.mem.writeU64(iov + 16, put(k, 'defg'));
  k.mem.writeU64(iov + 24, 4);
  t.is(await call(k, 'writev', fd, iov, 2), 7);
  const d = await call(k, 'dup', fd);
  t.is(await call(k, 'lseek', d, 0, 1 /* SEEK_CUR */), 7);
  await call(k, 'lseek', d, 1, SEEK_SET);
  const buf = k.mem.alloc(8);
  t.is(await call(k, 'read', fd, buf, 8), 6);
  t.is(k.mem.text(buf, 6), 'bcdefg');
});

test('getdents64 lists ".", "..", every name with d_type and stable cookies; lseek to a cookie resumes', async (t) => {
  const w = world((dir) => {
    fs.mkdirSync(path.join(dir, 'sub'));
    for (const n of ['x', 'y', 'z']) fs.writeFileSync(path.join(dir, 'sub', n), n);
    fs.symlinkSync('x', path.join(dir, 'sub', 'lnk'));
  });
  const k = w.task();
  const fd = await open(k, '/sub', O.RDONLY | O.DIRECTORY);
  const all = await listDir(k, fd);
  t.deepEqual(all.map((e) => e.name).sort(), ['.', '..', 'lnk', 'x', 'y', 'z']);
  t.deepEqual(all.slice(0, 2).map((e) => e.name), ['.', '..']);
  t.is(all.find((e) => e.name === 'lnk')!.type, 10 /* DT_LNK */);
  t.is(all.find((e) => e.name === 'x')!.type, 8 /* DT_REG */);
  t.is(all.find((e) => e.name === '.')!.type, 4 /* DT_DIR */);
  await call(k, 'lseek', fd, all[2]!.off, SEEK_SET);
  const rest = await listDir(k, fd);
  t.deepEqual(rest.map((e) => e.name), all.slice(3).map((e) => e.name));
  t.is(await call(k, 'getdents64', fd, k.mem.alloc(8), 8), 0, 'at the end');
  await call(k, 'lseek', fd, 0, SEEK_SET);
  t.is(await call(k, 'getdents64', fd, k.mem.alloc(16), 16), -E.EINVAL, 'buffer too small for one entry');
  const small = await listDir(k, fd, 32);
  t.is(small.length, 6);
  const root = await listDir(k, await open(k, '/', O.RDONLY | O.DIRECTORY));
  t.deepEqual(root.map((e) => e.name).filter((n) => ['dev', 'proc', 'sys'].includes(n)).sort(), ['dev', 'proc', 'sys']);
  t.is(await call(k, 'getdents64', await open(k, '/sub/x'), k.mem.alloc(64), 64), -E.ENOTDIR);
});

test('rename, renameat2 flags, unlink, rmdir, link, symlink, readlink', async (t) => {
  const w = world((dir) => {
    fs.writeFileSync(path.join(dir, 'a'), 'A');
    fs.writeFileSync(path.join(dir, 'b'), 'B');
    fs.mkdirSync(path.join(dir, 'dir'));
    fs.writeFileSync(path.join(dir, 'dir', 'in'), '');
  });
  const k = w.task();
  const s = (x: string) => k.mem.str(x);
  const r2 = (o: string, n: string, f: number) => call(k, 'renameat2', AT_FDCWD, s(o), AT_FDCWD, s(n), f);
  t.is(await r2('a', 'b', RENAME_NOREPLACE), -E.EEXIST);
  t.is(await r2('a', 'b', RENAME_EXCHANGE), 0);
  t.is(fs.readFileSync(path.join(w.dir, 'a'), 'latin1'), 'B');
  t.deepEqual(fs.readdirSync(w.dir).sort(), ['a', 'b', 'dir']); // the spare name is gone
  t.is(await r2('b', 'a', RENAME_EXCHANGE), 0);
  t.is(await r2('a', 'nope', RENAME_EXCHANGE), -E.ENOENT);
  t.is(await r2('a', 'b', RENAME_NOREPLACE | RENAME_EXCHANGE), -E.EINVAL);
  t.is(await call(k, 'rename', s('a'), s('b')), 0);
  t.is(fs.readFileSync(path.join(w.dir, 'b'), 'latin1'), 'A');
  t.is(await call(k, 'rename', s('b'), s('dir')), -E.EISDIR);
  t.is(await call(k, 'rename', s('dir'), s('dir/sub')), -E.EINVAL);
  t.is(await call(k, 'rename', s('.'), s('x')), -E.EBUSY);
  t.is(await call(k, 'rmdir', s('dir')), -E.ENOTEMPTY);
  t.is(await call(k, 'unlink', s('dir')), -E.EISDIR);
  t.is(await call(k, 'unlinkat', AT_FDCWD, s('dir/in'), 0), 0);
  t.is(await call(k, 'unlinkat', AT_FDCWD, s('dir'), AT.REMOVEDIR), 0);
  t.is(await call(k, 'rmdir', s('.')), -E.EINVAL);
  t.is(await call(k, 'link', s('b'), s('c')), 0);
  t.is(fs.statSync(path.join(w.dir, 'c')).nlink, 2);
  t.is(await call(k, 'symlink', s('b'), s('sl')), 0);
  t.is(await call(k, 'symlink', s('b'), s('sl')), -E.EEXIST);
  const buf = k.mem.alloc(16);
  t.is(await call(k, 'readlink', s('sl'), buf, 16), 1);
  t.is(k.mem.text(buf, 1), 'b');
  t.is(await call(k, 'readlink', s('b'), buf, 16), -E.EINVAL);
  t.is(await call(k, 'linkat', AT_FDCWD, s('sl'), AT_FDCWD, s('sl2'), 0), 0);
  t.true(fs.lstatSync(path.join(w.dir, 'sl2')).isSymbolicLink());
  t.is(await call(k, 'linkat', AT_FDCWD, s('sl'), AT_FDCWD, s('hard'), AT.SYMLINK_FOLLOW), 0);
  t.true(fs.lstatSync(path.join(w.dir, 'hard')).isFile());
  t.is(await call(k, 'unlink', s('nothere')), -E.ENOENT);
  t.is(await call(k, 'mknod', s('fifo'), 0o010640, 0), 0); // a real host FIFO, its mode not the host umask's
  t.true(fs.lstatSync(path.join(w.dir, 'fifo')).isFIFO());
  t.is(fs.lstatSync(path.join(w.dir, 'fifo')).mode & 0o7777, 0o640);
  t.is(await call(k, 'mknod', s('fifo'), 0o010644, 0), -E.EEXIST);
  t.is(await call(k, 'mknod', s('chr'), 0o020644, 0x0103), -E.EPERM); // no device nodes (a "nodev" mount)
  t.is(await call(k, 'mknod', s('plain'), 0o100600, 0), 0);
  t.true(fs.statSync(path.join(w.dir, 'plain')).isFile());
});

test('stat, statx, statfs, chmod, utimensat, access, getcwd ERANGE', async (t) => {
  const w = world((dir) => fs.writeFileSync(path.join(dir, 'f'), 'data'));
  const k = w.task();
  const s = (x: string) => k.mem.str(x);
  const st = k.mem.alloc(144);
  t.is(await call(k, 'stat', s('/f'), st), 0);
  const host = fs.statSync(path.join(w.dir, 'f'), { bigint: true });
  t.is(k.mem.readBig(st + 8), host.ino);
  t.is(k.mem.readU32(st + 24) & S_IFMT, S_IFREG);
  t.is(k.mem.readU64(st + 48), 4);
  t.is(k.mem.readBig(st + 88) * 1_000_000_000n + k.mem.readBig(st + 96), host.mtimeNs);
  const sx = k.mem.alloc(256);
  t.is(await call(k, 'statx', AT_FDCWD, s('/f'), 0, 0xfff, sx), 0);
  t.true((k.mem.readU32(sx) & 0x7ff) === 0x7ff);
  t.is(k.mem.readU64(sx + 40), 4);
  const sf = k.mem.alloc(120);
  t.is(await call(k, 'statfs', s('/'), sf), 0);
  t.is(k.mem.readU64(sf), fs.statfsSync(w.dir).type);
  t.is(await call(k, 'statfs', s('/proc'), sf), 0);
  t.is(k.mem.readU64(sf), 0x9fa0);
  t.is(await call(k, 'chmod', s('/f'), 0o600), 0);
  t.is(fs.statSync(path.join(w.dir, 'f')).mode & 0o777, 0o600);
  const ts = k.mem.alloc(32);
  k.mem.writeU64(ts, 1_000_000); k.mem.writeU64(ts + 8, 500);
  k.mem.writeU64(ts + 16, 2_000_000); k.mem.writeU64(ts + 24, (1 << 30) - 2 /* UTIME_OMIT */);
  const before = fs.statSync(path.join(w.dir, 'f')).mtimeMs;
  t.is(await call(k, 'utimensat', AT_FDCWD, s('/f'), ts, 0), 0);
  const after = fs.statSync(path.join(w.dir, 'f'));
  t.is(Math.floor(after.atimeMs / 1000), 1_000_000);
  t.true(Math.abs(after.mtimeMs - before) < 0.005, "UTIME_OMIT keeps mtime (to the microsecond node:fs allows)");
  t.is(await call(k, 'access', s('/f'), 4), 0);
  t.is(await call(k, 'access', s('/f'), 1), -E.EACCES, 'root cannot execute without any x bit');
  t.is(await call(k, 'access', s('/nope'), 0), -E.ENOENT);
  t.is(await call(k, 'getcwd', k.mem.alloc(1), 1), -E.ERANGE);
  t.is(await call(k, 'umask', 0o077), 0o022);
  t.is(await call(k, 'umask', 0o022), 0o077);
});

test('fcntl: F_GETFL/F_SETFL, F_GETFD/F_SETFD, F_DUPFD, locks', async (t) => {
  const w = world((dir) => fs.writeFileSync(path.join(dir, 'f'), ''));
  const k = w.task();
  const fd = await open(k, '/f', O.RDWR | O.CLOEXEC);
  t.is(await call(k, 'fcntl', fd, 1), 1);
  t.is(await call(k, 'fcntl', fd, 3) & (O.ACCMODE | O.APPEND), O.RDWR);
  t.is(await call(k, 'fcntl', fd, 4, O.APPEND | O.NONBLOCK | O.RDONLY), 0);
  t.is(await call(k, 'fcntl', fd, 3) & (O.ACCMODE | O.APPEND | O.NONBLOCK), O.RDWR | O.APPEND | O.NONBLOCK);
  t.is(await call(k, 'fcntl', fd, 0, 10), 10);
  t.is(await call(k, 'fcntl', fd, 1030, 0), 1);
  t.is(await call(k, 'fcntl', 1, 1), 1, 'F_DUPFD_CLOEXEC set the flag');
  const fl = k.mem.alloc(32);
  t.is(await call(k, 'fcntl', fd, 6, fl), 0, 'F_SETLK read lock granted');
  t.is(await call(k, 'fcntl', fd, 5, fl), 0);
  t.is(k.mem.read(fl, 1)[0], 2, 'F_GETLK: F_UNLCK');
  t.is(await call(k, 'fcntl', fd, 12345), -E.EINVAL);
  t.is(await call(k, 'ioctl', fd, 0x5401, 0), -E.ENOTTY);
  const n = k.mem.alloc(4);
  t.is(await call(k, 'ioctl', fd, 0x541b, n), 0);
  t.is(await call(k, 'dup3', fd, fd, 0), -E.EINVAL);
  t.is(await call(k, 'dup2', fd, fd), fd);
});
