// devfs devices and the procfs entries: magic links, open-through, cmdline, comm.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E } from '../../../src/emu/kernel/errno.js';
import { AT_FDCWD, O, S_IFCHR, S_IFMT, makedev } from '../../../src/emu/fs/constants.js';
import { call, world } from './fake-task.js';

const w = world((dir) => {
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'test'), 'ELF', { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'f'), 'file');
});
type T = ReturnType<typeof w.task>;
const open = (t: T, p: string, flags = O.RDONLY) => call(t, 'openat', AT_FDCWD, t.mem.str(p), flags, 0);
async function readlink(t: T, p: string): Promise<string | number> {
  const buf = t.mem.alloc(256);
  const n = await call(t, 'readlink', t.mem.str(p), buf, 256);
  return n < 0 ? n : t.mem.text(buf, n);
}

test('device numbers, modes and owners', async (t) => {
  const k = w.task();
  const st = k.mem.alloc(144);
  for (const [name, maj, min] of [['null', 1, 3], ['zero', 1, 5], ['full', 1, 7], ['random', 1, 8], ['urandom', 1, 9], ['tty', 5, 0]] as const) {
    t.is(await call(k, 'stat', k.mem.str(`/dev/${name}`), st), 0);
    t.is(k.mem.readU32(st + 24), S_IFCHR | 0o666, name);
    t.is(k.mem.readU64(st + 40), makedev(maj, min), name);
    t.is(k.mem.readU32(st + 28), 0);
  }
});

test('null, zero, full, urandom, tty', async (t) => {
  const k = w.task();
  const buf = k.mem.alloc(64);
  k.mem.write(buf, new Uint8Array(64).fill(7));
  const nul = await open(k, '/dev/null', O.RDWR);
  t.is(await call(k, 'read', nul, buf, 64), 0);
  t.is(await call(k, 'write', nul, buf, 64), 64);
  t.is(await call(k, 'lseek', nul, 100, 0), 0);
  const zero = await open(k, '/dev/zero');
  t.is(await call(k, 'read', zero, buf, 64), 64);
  t.true(k.mem.read(buf, 64).every((b) => b === 0));
  const full = await open(k, '/dev/full', O.WRONLY);
  t.is(await call(k, 'write', full, buf, 1), -E.ENOSPC);
  const ur = await open(k, '/dev/urandom');
  t.is(await call(k, 'read', ur, buf, 64), 64);
  t.false(k.mem.read(buf, 64).every((b) => b === 0));
  t.is(await open(k, '/dev/tty', O.RDWR), -E.ENXIO);
  t.is(await readlink(k, '/dev/stdin'), '/proc/self/fd/0');
  t.is(await readlink(k, '/dev/fd'), '/proc/self/fd');
});

test('/proc/self, exe, cwd, root, cmdline, comm', async (t) => {
  const k = w.task();
  t.is(await readlink(k, '/proc/self'), String(k.process.pid));
  t.is(await readlink(k, '/proc/self/exe'), '/bin/test');
  t.is(await readlink(k, '/proc/self/root'), '/');
  await call(k, 'chdir', k.mem.str('/bin'));
  t.is(await readlink(k, `/proc/${k.process.pid}/cwd`), '/bin');
  const buf = k.mem.alloc(64);
  t.is(await call(k, 'read', await open(k, '/proc/self/cmdline'), buf, 64), 9);
  t.is(k.mem.text(buf, 9), 'test\0a b\0');
  t.is(await call(k, 'read', await open(k, '/proc/self/comm'), buf, 64), 5);
  t.is(await call(k, 'read', await open(k, '/proc/self/exe'), buf, 64), 3, 'open through the exe magic link');
  t.is(k.mem.text(buf, 3), 'ELF');
  t.is(await open(k, '/proc/self/cmdline', O.WRONLY), -E.EACCES);
  t.is(await open(k, '/proc/999999/exe'), -E.ENOENT);
});

test('/proc/self/fd: one magic link per fd, readlink gives the path, open reopens the file', async (t) => {
  const k = w.task();
  const fd = await open(k, '/f');
  t.is(await readlink(k, `/proc/self/fd/${fd}`), '/f');
  t.is(await readlink(k, '/dev/stdin'), '/proc/self/fd/0');
  const again = await open(k, `/proc/self/fd/${fd}`);
  t.true(again >= 0 && again !== fd);
  const buf = k.mem.alloc(16);
  t.is(await call(k, 'read', again, buf, 16), 4);
  t.is(await call(k, 'lseek', fd, 0, 1), 0, 'the original position is independent');
  const nul = await open(k, '/dev/null');
  t.is(await readlink(k, `/proc/self/fd/${nul}`), '/dev/null');
  const dirfd = await open(k, '/proc/self/fd', O.RDONLY | O.DIRECTORY);
  const d = k.mem.alloc(1024);
  const n = await call(k, 'getdents64', dirfd, d, 1024);
  t.true(n > 0);
  t.is(await open(k, '/proc/self/fd/77'), -E.ENOENT);
});

test('the host /dev is never visible: only our devices', async (t) => {
  const k = w.task();
  t.is(await open(k, '/dev/sda'), -E.ENOENT);
  const st = k.mem.alloc(144);
  t.is(await call(k, 'stat', k.mem.str('/dev/null'), st), 0);
  t.is(k.mem.readU32(st + 24) & S_IFMT, S_IFCHR);
});

test('/proc/mounts lists our mounts', async (t) => {
  const k = w.task();
  const buf = k.mem.alloc(1024);
  const n = await call(k, 'read', await open(k, '/proc/mounts'), buf, 1024);
  t.deepEqual(k.mem.text(buf, n).split('\n').map((l) => l.split(' ')[1]).filter(Boolean), ['/', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/proc', '/sys', '/run', '/run/lock']);
});

test('/dev/console (5:1, 0600) opens the controlling terminal: ENXIO without one; /dev/shm is a tmpfs', async (t) => {
  const k = w.task();
  const st = k.mem.alloc(144);
  t.is(await call(k, 'stat', k.mem.str('/dev/console'), st), 0);
  t.is(k.mem.readU32(st + 24), S_IFCHR | 0o600);
  t.is(k.mem.readU64(st + 40), makedev(5, 1));
  t.is(await open(k, '/dev/console', O.RDWR), -E.ENXIO);
  const sfs = k.mem.alloc(120);
  t.is(await call(k, 'statfs', k.mem.str('/dev/shm'), sfs), 0);
  t.is(k.mem.readU64(sfs), 0x01021994, 'TMPFS_MAGIC');
});

test('/sys: the CPU list in online, possible, present; no cgroup filesystem (ENOENT)', async (t) => {
  const k = w.task();
  const buf = k.mem.alloc(64);
  const { availableParallelism } = await import('node:os');
  const n = Math.min(availableParallelism(), 64);
  for (const f of ['online', 'possible', 'present']) {
    const len = await call(k, 'read', await open(k, `/sys/devices/system/cpu/${f}`), buf, 64);
    t.is(k.mem.text(buf, len), n === 1 ? '0\n' : `0-${n - 1}\n`, f);
  }
  t.is(await open(k, '/sys/fs/cgroup'), -E.ENOENT);
});
