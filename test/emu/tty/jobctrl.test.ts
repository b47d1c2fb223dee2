// Job control on a pty: controlling terminal, foreground group, background reads and writes, window size, hangup.
import test from 'ava';
import { E } from '../../../src/emu/kernel/errno.js';
import { ERESTARTSYS } from '../../../src/emu/kernel/wait-queue.js';
import { SIG, SIG_IGN } from '../../../src/emu/kernel/signals.js';
import { O } from '../../../src/emu/fs/constants.js';
import { LFLAG } from '../../../src/emu/fs/tty/termios.js';
import { call, ioctlInt, open, openPty, readStr, start, tick, ttyWorld, writeStr } from './tty-world.js';

const TIOCSCTTY = 0x540e, TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCGSID = 0x5429, TIOCNOTTY = 0x5422;
const TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TCGETS = 0x5401, TCSETS = 0x5402, TCFLSH = 0x540b, TIOCSIG = 0x40045436;

/** A session: the leader with the pty as its terminal, and a background job in another group. */
async function session() {
  const w = ttyWorld();
  const sh = w.task();
  const [m, s] = await openPty(sh, O.RDWR | O.NOCTTY);
  const r = await call(sh, 'ioctl', s, TIOCSCTTY, 0);
  if (r !== 0) throw new Error(`TIOCSCTTY ${r}`);
  const bg = w.task({ sid: sh.process.pid });
  bg.process.ppid = sh.process.pid;
  const bgfd = await open(bg, '/dev/tty');
  return { w, sh, m, s, bg, bgfd };
}

test('TIOCSCTTY: only a session leader without a terminal; a terminal held by another session needs root and arg 1', async (t) => {
  const w = ttyWorld();
  const a = w.task();
  const b = w.task({ files: a });
  const member = w.task({ sid: a.process.pid, pgid: a.process.pid, files: a });
  const [, s] = await openPty(a, O.RDWR | O.NOCTTY);
  t.is(await open(b, '/dev/tty'), -E.ENXIO);
  t.is(await call(member, 'ioctl', s, TIOCSCTTY, 0), -E.EPERM, 'not a session leader');
  t.is(await call(a, 'ioctl', s, TIOCSCTTY, 0), 0);
  t.is(await call(a, 'ioctl', s, TIOCSCTTY, 0), 0, 'again: already ours');
  t.is(await call(b, 'ioctl', s, TIOCSCTTY, 0), -E.EPERM, 'held by another session');
  const full = b.creds.capEff;
  (b.creds as { capEff: bigint }).capEff = 0n;
  t.is(await call(b, 'ioctl', s, TIOCSCTTY, 1), -E.EPERM, 'stealing needs CAP_SYS_ADMIN');
  (b.creds as { capEff: bigint }).capEff = full;
  t.is(await call(b, 'ioctl', s, TIOCSCTTY, 1), 0, 'root steals it');
  t.is(await open(a, '/dev/tty'), -E.ENXIO);
  t.true(await open(b, '/dev/tty') >= 0);
});

test('TIOCGPGRP, TIOCGSID; TIOCSPGRP within the session only', async (t) => {
  const { w, sh, s, bg, bgfd } = await session();
  const { pid } = sh.process;
  t.deepEqual(await ioctlInt(sh, s, TIOCGPGRP), { r: 0, v: pid });
  t.deepEqual(await ioctlInt(sh, s, TIOCGSID), { r: 0, v: pid });
  const stranger = w.task({ files: sh });
  t.is((await ioctlInt(stranger, s, TIOCGPGRP)).r, -E.ENOTTY, 'not its controlling terminal');
  t.is((await ioctlInt(sh, s, TIOCSPGRP, bg.process.pgid)).r, 0);
  t.is((await ioctlInt(bg, bgfd, TIOCGPGRP)).v, bg.process.pgid);
  t.is((await ioctlInt(bg, bgfd, TIOCSPGRP, stranger.process.pgid)).r, -E.EPERM, 'a group of another session');
  t.is((await ioctlInt(bg, bgfd, TIOCSPGRP, 99999)).r, -E.ESRCH);
  t.is((await ioctlInt(bg, bgfd, TIOCSPGRP, -1)).r, -E.EINVAL);
  t.is((await ioctlInt(stranger, s, TIOCSPGRP, stranger.process.pgid)).r, -E.ENOTTY);
});

test('background read: SIGTTIN to its group and a restart; EIO when SIGTTIN is ignored', async (t) => {
  const { w, sh, m, s, bg, bgfd } = await session();
  await writeStr(sh, m, 'line\n');
  t.is(await readStr(bg, bgfd), -ERESTARTSYS);
  t.deepEqual(w.sent, [{ to: 'pgrp', id: bg.process.pgid, sig: SIG.SIGTTIN }]);
  bg.process.sigactions[SIG.SIGTTIN] = { handler: SIG_IGN, flags: 0n, restorer: 0n, mask: 0n };
  t.is(await readStr(bg, bgfd), -E.EIO);
  await ioctlInt(sh, s, TIOCSPGRP, bg.process.pgid);
  t.is(await readStr(bg, bgfd), 'line\n', 'in the foreground it reads');
  t.is(await readStr(sh, s), -E.EIO, 'the shell, now in the background of an orphaned group');
});

test('background read from an orphaned group: EIO without a signal', async (t) => {
  const { w, m, sh, bg, bgfd } = await session();
  bg.process.ppid = 1;
  await writeStr(sh, m, 'x\n');
  t.is(await readStr(bg, bgfd), -E.EIO);
  t.deepEqual(w.sent, []);
});

test('background write: allowed, or SIGTTOU with TOSTOP (unless blocked); termios changes always check', async (t) => {
  const { w, sh, m, s, bg, bgfd } = await session();
  t.is(await writeStr(bg, bgfd, 'out'), 3);
  t.is(await readStr(sh, m), 'out');
  const tio = sh.mem.alloc(36);
  await call(sh, 'ioctl', s, TCGETS, tio);
  sh.mem.writeU32(tio + 12, sh.mem.readU32(tio + 12) | LFLAG.TOSTOP);
  t.is(await call(sh, 'ioctl', s, TCSETS, tio), 0);
  t.is(await writeStr(bg, bgfd, 'out'), -ERESTARTSYS);
  t.is(w.sent.at(-1)?.sig, SIG.SIGTTOU);
  (bg as unknown as { sigmask: bigint }).sigmask = 1n << BigInt(SIG.SIGTTOU - 1);
  t.is(await writeStr(bg, bgfd, 'ok'), 2, 'SIGTTOU blocked: the write goes through');
  (bg as unknown as { sigmask: bigint }).sigmask = 0n;
  const btio = bg.mem.alloc(36);
  await call(bg, 'ioctl', bgfd, TCGETS, btio);
  t.is(await call(bg, 'ioctl', bgfd, TCSETS, btio), -ERESTARTSYS, 'tcsetattr from the background');
  t.is(await call(bg, 'ioctl', bgfd, TCFLSH, 0), -ERESTARTSYS);
});

test('window size: TIOCSWINSZ from either side, SIGWINCH to the foreground group only on change', async (t) => {
  const { w, sh, m, s } = await session();
  const ws = sh.mem.alloc(8);
  sh.mem.write(ws, new Uint8Array([24, 0, 80, 0, 0, 0, 0, 0]));
  t.is(await call(sh, 'ioctl', m, TIOCSWINSZ, ws), 0);
  t.deepEqual(w.sent, [{ to: 'pgrp', id: sh.process.pid, sig: SIG.SIGWINCH }]);
  t.is(await call(sh, 'ioctl', m, TIOCSWINSZ, ws), 0);
  t.is(w.sent.length, 1, 'no change, no signal');
  const out = sh.mem.alloc(8);
  t.is(await call(sh, 'ioctl', s, TIOCGWINSZ, out), 0);
  t.deepEqual([...sh.mem.read(out, 8)], [24, 0, 80, 0, 0, 0, 0, 0]);
});

test('TIOCSIG on the master signals the foreground group (keyboard signals only)', async (t) => {
  const { w, sh, m } = await session();
  t.is(await call(sh, 'ioctl', m, TIOCSIG, SIG.SIGINT), 0);
  t.is(await call(sh, 'ioctl', m, TIOCSIG, SIG.SIGKILL), -E.EINVAL);
  t.deepEqual(w.sent, [{ to: 'pgrp', id: sh.process.pid, sig: SIG.SIGINT }]);
});

test('closing the master hangs the slave up: SIGHUP+SIGCONT, reads 0, writes and ioctls EIO', async (t) => {
  const { w, sh, m, s, bg, bgfd } = await session();
  await ioctlInt(sh, s, TIOCSPGRP, bg.process.pgid);
  const r = start(bg, 'read', bgfd, bg.mem.alloc(8), 8);
  await tick(10);
  t.is(await call(sh, 'close', m), 0);
  t.is(await r.result, -E.EIO, 'a reader blocked at the hangup gets EIO (TTY_OTHER_CLOSED)');
  t.deepEqual(w.sent, [
    { to: 'pid', id: sh.process.pid, sig: SIG.SIGHUP }, { to: 'pid', id: sh.process.pid, sig: SIG.SIGCONT },
    { to: 'pgrp', id: bg.process.pgid, sig: SIG.SIGHUP }, { to: 'pgrp', id: bg.process.pgid, sig: SIG.SIGCONT },
  ]);
  t.is(await readStr(bg, bgfd), '', 'later reads see EOF');
  t.is(await writeStr(sh, s, 'x'), -E.EIO);
  t.is(await call(sh, 'ioctl', s, TCGETS, sh.mem.alloc(36)), -E.EIO);
  t.is(await open(sh, '/dev/tty'), -E.ENXIO, 'the session lost its terminal');
});

test('closing every slave: the master reads what is left, then EIO', async (t) => {
  const { sh, m, s, bg, bgfd } = await session();
  await writeStr(sh, s, 'bye');
  await call(sh, 'close', s);
  await call(bg, 'close', bgfd);
  t.is(await readStr(sh, m), 'bye');
  t.is(await readStr(sh, m), -E.EIO);
  t.is(await writeStr(sh, m, 'x'), -E.EIO);
});

test('TIOCNOTTY by the session leader: the foreground group gets SIGHUP and SIGCONT, the session loses the terminal', async (t) => {
  const { w, sh, s } = await session();
  t.is(await call(sh, 'ioctl', s, TIOCNOTTY, 0), 0);
  t.deepEqual(w.sent.map((x) => x.sig), [SIG.SIGHUP, SIG.SIGCONT]);
  t.is(await open(sh, '/dev/tty'), -E.ENXIO);
  t.is(await call(sh, 'ioctl', s, TIOCNOTTY, 0), -E.ENOTTY);
});

