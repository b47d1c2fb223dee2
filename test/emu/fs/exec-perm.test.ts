// openExec checks, and permission checks for a non-root caller.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E, LinuxError } from '../../../src/emu/kernel/errno.js';
import { openExec } from '../../../src/emu/fs/exec-open.js';
import { AT_FDCWD, O } from '../../../src/emu/fs/constants.js';
import { call, rootCreds, world } from './fake-task.js';
import { initialCaps } from '../../../src/emu/kernel/capability.js';

const w = world((dir) => {
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'prog'), '\x7fELF-program', { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'bin', 'noexec'), 'data', { mode: 0o644 });
  fs.symlinkSync('prog', path.join(dir, 'bin', 'alias'));
  fs.writeFileSync(path.join(dir, 'secret'), 's', { mode: 0o600 });
  fs.mkdirSync(path.join(dir, 'locked'), { mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'locked', 'x'), 'x', { mode: 0o644 });
});
const errno = (fn: () => unknown): number => {
  try { fn(); } catch (e) { if (e instanceof LinuxError) return e.errno; throw e; }
  return 0;
};

test('openExec: resolved path, size, reads; ENOENT and EACCES', (t) => {
  const k = w.task();
  const x = openExec(k, '/bin/alias');
  t.is(x.path, '/bin/prog');
  t.is(x.size, 12);
  const buf = new Uint8Array(4);
  t.is(x.readAt(buf, 0), 4);
  t.is(Buffer.from(buf).toString('latin1'), '\x7fELF');
  t.is(x.readAt(new Uint8Array(100), 8), 4);
  t.is(errno(() => openExec(k, '/bin/missing')), E.ENOENT);
  t.is(errno(() => openExec(k, '/bin')), E.EACCES);
  t.is(errno(() => openExec(k, '/bin/noexec')), E.EACCES);
  t.is(errno(() => openExec(k, '/dev/null')), E.EACCES);
});

test('a non-root caller meets the mode bits', async (t) => {
  const k = w.task({ ...rootCreds(), uid: 1000, euid: 1000, fsuid: 1000, gid: 1000, egid: 1000, fsgid: 1000, groups: [1000], ...initialCaps(1000) });
  const s = (p: string) => k.mem.str(p);
  t.is(await call(k, 'openat', AT_FDCWD, s('/secret'), O.RDONLY, 0), -E.EACCES);
  t.is(await call(k, 'openat', AT_FDCWD, s('/locked/x'), O.RDONLY, 0), -E.EACCES);
  t.is(await call(k, 'access', s('/bin/prog'), 1), 0);
  t.is(await call(k, 'access', s('/bin/prog'), 2), -E.EACCES);
  t.is(await call(k, 'mkdir', s('/newdir'), 0o755), -E.EACCES);
  t.is(await call(k, 'chmod', s('/bin/prog'), 0o777), -E.EPERM);
  t.is(await call(k, 'chown', s('/bin/prog'), 1000, 1000), -E.EPERM);
  t.true(await call(k, 'openat', AT_FDCWD, s('/bin/prog'), O.RDONLY, 0) >= 0);
  t.is(errno(() => openExec(k, '/bin/noexec')), E.EACCES);
});
