// devpts, /dev/ptmx, /dev/tty: numbering, locking, node modes, isatty, TIOCGPTPEER, the node going away.
import test from 'ava';
import { E } from '../../../src/emu/kernel/errno.js';
import { O, S_IFCHR, makedev } from '../../../src/emu/fs/constants.js';
import { call, ioctlInt, open, openPty, ttyWorld } from './tty-world.js';

const TCGETS = 0x5401, TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431, TIOCGPTLCK = 0x80045439, TIOCGPTPEER = 0x5441;

test('ptmx allocates numbered, locked slaves owned by the opener', async (t) => {
  const w = ttyWorld();
  const k = w.task();
  (k.creds as { fsuid: number }).fsuid = 0;
  const m0 = await open(k, '/dev/ptmx');
  const m1 = await open(k, '/dev/ptmx');
  t.true(m0 >= 0 && m1 >= 0);
  t.is((await ioctlInt(k, m0, TIOCGPTN)).v, 0);
  t.is((await ioctlInt(k, m1, TIOCGPTN)).v, 1);
  t.is((await ioctlInt(k, m0, TIOCGPTLCK)).v, 1);
  t.is(await open(k, '/dev/pts/0'), -E.EIO, 'locked until unlockpt');
  t.is((await ioctlInt(k, m0, TIOCSPTLCK, 0)).r, 0);
  const s0 = await open(k, '/dev/pts/0');
  t.true(s0 >= 0);
  const st = k.mem.alloc(144);
  t.is(await call(k, 'stat', k.mem.str('/dev/pts/0'), st), 0);
  t.is(k.mem.readU32(st + 24), S_IFCHR | 0o620);
  t.is(k.mem.readU32(st + 32), 5, 'group tty');
  t.is(k.mem.readU64(st + 40), makedev(136, 0));
  t.is(await call(k, 'stat', k.mem.str('/dev/ptmx'), st), 0);
  t.is(k.mem.readU64(st + 40), makedev(5, 2));
  t.is(k.mem.readU32(st + 24), S_IFCHR | 0o666);
  // the directory lists ptmx and the live ptys
  const dfd = await open(k, '/dev/pts', O.RDONLY | O.DIRECTORY);
  const buf = k.mem.alloc(1024);
  const n = await call(k, 'getdents64', dfd, buf, 1024);
  const names = k.mem.text(buf, n);
  for (const x of ['ptmx', '0', '1']) t.true(names.includes(`${x}\0`), x);
  // closing the master removes the node
  await call(k, 'close', m1);
  t.is(await call(k, 'stat', k.mem.str('/dev/pts/1'), st), -E.ENOENT);
  // the lowest free number is reused
  const m2 = await open(k, '/dev/ptmx');
  t.is((await ioctlInt(k, m2, TIOCGPTN)).v, 1);
});

test('isatty: TCGETS on both ends, ENOTTY elsewhere; TIOCGPTN only on the master', async (t) => {
  const w = ttyWorld();
  const k = w.task();
  const [m, s] = await openPty(k);
  const tio = k.mem.alloc(64);
  t.is(await call(k, 'ioctl', s, TCGETS, tio), 0);
  t.is(await call(k, 'ioctl', m, TCGETS, tio), 0);
  const nul = await open(k, '/dev/null');
  t.is(await call(k, 'ioctl', nul, TCGETS, tio), -E.ENOTTY);
  t.is((await ioctlInt(k, s, TIOCGPTN)).r, -E.ENOTTY);
});

test('/dev/tty is the controlling terminal, ENXIO without one', async (t) => {
  const w = ttyWorld();
  const k = w.task();
  const other = w.task();
  t.is(await open(k, '/dev/tty'), -E.ENXIO);
  const [, s] = await openPty(k); // a session leader opening without O_NOCTTY acquires it
  t.true(s >= 0);
  const fd = await open(k, '/dev/tty');
  t.true(fd >= 0);
  const buf = k.mem.alloc(64);
  t.is(await call(k, 'readlink', k.mem.str(`/proc/self/fd/${s}`), buf, 64), '/dev/pts/0'.length);
  t.is(k.mem.text(buf, 10), '/dev/pts/0');
  t.is(await open(other, '/dev/tty'), -E.ENXIO, 'another session has none');
});

test('O_NOCTTY and non-leaders do not acquire a controlling terminal', async (t) => {
  const w = ttyWorld();
  const leader = w.task();
  const member = w.task({ sid: leader.process.pid, pgid: leader.process.pid });
  await openPty(member);
  t.is(await open(member, '/dev/tty'), -E.ENXIO);
  await openPty(leader, O.RDWR | O.NOCTTY);
  t.is(await open(leader, '/dev/tty'), -E.ENXIO);
});

test('TIOCGPTPEER opens the slave', async (t) => {
  const w = ttyWorld();
  const k = w.task();
  const m = await open(k, '/dev/ptmx');
  await ioctlInt(k, m, TIOCSPTLCK, 0);
  const s = await call(k, 'ioctl', m, TIOCGPTPEER, O.RDWR | O.NOCTTY);
  t.true(s > m);
  const tio = k.mem.alloc(64);
  t.is(await call(k, 'ioctl', s, TCGETS, tio), 0);
  t.is(await open(k, '/dev/tty'), -E.ENXIO, 'peer opens never take the controlling terminal');
});
