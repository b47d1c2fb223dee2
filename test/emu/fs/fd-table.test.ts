// fd table semantics: lowest free fd, dup2 onto itself, close-on-exec, EMFILE, clone, shared open files.
import test from 'ava';
import { E, LinuxError } from '../../../src/emu/kernel/errno.js';
import { FdTable } from '../../../src/emu/fs/fd-table.js';
import { OpenFile } from '../../../src/emu/fs/file.js';
import { synthStat, type Stat } from '../../../src/emu/fs/stat.js';
import { O } from '../../../src/emu/fs/constants.js';

class Dummy extends OpenFile {
  released = 0;
  constructor() { super(O.RDWR); }
  stat(): Stat { return synthStat(1, 1, 0o100644); }
  protected override release(): void { this.released++; }
}

const errno = (fn: () => unknown): number => {
  try { fn(); } catch (e) { if (e instanceof LinuxError) return e.errno; throw e; }
  return 0;
};

test('install takes the lowest free fd', (t) => {
  const ft = new FdTable();
  const a = new Dummy();
  t.is(ft.install(a), 0);
  t.is(ft.install(a), 1);
  t.is(ft.install(a), 2);
  ft.close(1);
  t.is(ft.install(new Dummy()), 1);
  t.is(ft.install(new Dummy(), false, 10), 10);
  t.is(ft.install(new Dummy()), 3);
});

test('dup2 onto the same fd, dup3 EINVAL, dup2 replaces and releases the old file', (t) => {
  const ft = new FdTable();
  const a = new Dummy(), b = new Dummy();
  ft.install(a);
  ft.install(b);
  t.is(ft.dup2(0, 0, false, false), 0);
  t.is(errno(() => ft.dup2(0, 0, false, true)), E.EINVAL);
  t.is(errno(() => ft.dup2(5, 5, false, false)), E.EBADF);
  t.is(ft.dup2(0, 1, false, false), 1);
  t.is(b.released, 1);
  t.is(ft.get(1), a);
  ft.close(0);
  t.is(a.released, 0);
  ft.close(1);
  t.is(a.released, 1);
  t.is(errno(() => ft.close(1)), E.EBADF);
  t.is(errno(() => ft.get(-1)), E.EBADF);
});

test('close-on-exec: flags per fd, closeOnExec closes only those, dup clears the flag', (t) => {
  const ft = new FdTable();
  const a = new Dummy();
  ft.install(a, true);
  t.true(ft.getCloexec(0));
  const d = ft.dup(0);
  t.false(ft.getCloexec(d));
  ft.dup2(0, 5, true, true);
  ft.closeOnExec();
  t.false(ft.has(0));
  t.false(ft.has(5));
  t.true(ft.has(d));
  t.is(a.released, 0);
});

test('EMFILE at RLIMIT_NOFILE; dup2 beyond the limit is EBADF', (t) => {
  const ft = new FdTable();
  ft.limit = 4;
  const a = new Dummy();
  for (let i = 0; i < 4; i++) ft.install(a);
  t.is(errno(() => ft.install(a)), E.EMFILE);
  let opened = false;
  t.is(errno(() => ft.install(() => { opened = true; return a; })), E.EMFILE);
  t.false(opened, 'the file is not opened when no fd is free');
  t.is(errno(() => ft.dup2(0, 4, false, false)), E.EBADF);
  t.is(errno(() => ft.dup(0, 4)), E.EINVAL);
});

test('clone shares open files; closeRange closes or marks', (t) => {
  const ft = new FdTable();
  const a = new Dummy();
  ft.install(a);
  ft.install(a, true);
  const child = ft.clone();
  t.true(child.getCloexec(1));
  ft.closeAll();
  t.is(a.released, 0);
  child.closeRange(0, 100, true);
  t.true(child.getCloexec(0));
  child.closeRange(0, ~0 >>> 0, false);
  t.is(a.released, 1);
  t.deepEqual(child.entries(), []);
});
