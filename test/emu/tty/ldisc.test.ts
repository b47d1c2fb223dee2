// The N_TTY line discipline through a pty: termios defaults, canonical editing and echo, output processing,
// non-canonical VMIN/VTIME, ISIG.
import test from 'ava';
import { E } from '../../../src/emu/kernel/errno.js';
import { O } from '../../../src/emu/fs/constants.js';
import { LFLAG, OFLAG, IFLAG, VMIN, VTIME } from '../../../src/emu/fs/tty/termios.js';
import { call, ioctlInt, open, openPty, readStr, start, tick, ttyWorld, writeStr, type T } from './tty-world.js';

const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSF = 0x5404, FIONREAD = 0x541b;

async function getTermios(k: T, fd: number) {
  const a = k.mem.alloc(36);
  await call(k, 'ioctl', fd, TCGETS, a);
  return { a, iflag: k.mem.readU32(a), oflag: k.mem.readU32(a + 4), cflag: k.mem.readU32(a + 8), lflag: k.mem.readU32(a + 12), cc: k.mem.read(a + 17, 19) };
}
async function setFlags(k: T, fd: number, f: (x: { iflag: number; oflag: number; lflag: number; cc: Uint8Array }) => void, req = TCSETS) {
  const x = await getTermios(k, fd);
  f(x);
  k.mem.writeU32(x.a, x.iflag); k.mem.writeU32(x.a + 4, x.oflag); k.mem.writeU32(x.a + 12, x.lflag);
  k.mem.write(x.a + 17, x.cc);
  return call(k, 'ioctl', fd, req, x.a);
}
/** Everything the master can read now (echoes and output). */
async function drain(k: T, m: number): Promise<string> {
  await tick();
  const n = (await ioctlInt(k, m, FIONREAD)).v;
  return n ? (await readStr(k, m, n)) as string : '';
}

test('a fresh slave has the Linux pty defaults (stty sane minus hupcl)', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  const x = await getTermios(k, s);
  t.is(x.iflag, 0o2400); // ICRNL IXON
  t.is(x.oflag, 0o5); // OPOST ONLCR
  t.is(x.cflag, 0o277); // B38400 CS8 CREAD
  t.is(x.lflag, 0o105073); // ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  t.deepEqual([...x.cc.subarray(0, 17)], [3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0]);
  const y = await getTermios(k, m);
  t.is(y.lflag, 0);
  t.is(y.oflag, 0);
});

test('canonical: erase, kill, werase, echo with ECHOE/ECHOKE, CR to NL', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  await writeStr(k, m, 'abc\x7fd\r');
  t.is(await readStr(k, s), 'abd\n');
  t.is(await drain(k, m), 'abc\b \bd\r\n');
  await writeStr(k, m, 'foo bar\x17baz\n');
  t.is(await readStr(k, s), 'foo baz\n');
  t.is(await drain(k, m), 'foo bar\b \b\b \b\b \bbaz\r\n');
  await writeStr(k, m, 'xy\x15ok\n');
  t.is(await readStr(k, s), 'ok\n');
  t.is(await drain(k, m), 'xy\b \b\b \bok\r\n');
  await writeStr(k, m, 'a\tb\x7f\x7f\n');
  t.is(await readStr(k, s), 'a\n');
  t.is(await drain(k, m), 'a\tb\b \b\b\b\b\b\b\b\b\r\n', 'a tab is erased by backing up to its start');
});

test('canonical: a read returns one line at a time, partial lines stay, FIONREAD counts complete lines', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  await writeStr(k, m, 'one\ntwo\nthr');
  await tick();
  t.is((await ioctlInt(k, s, FIONREAD)).v, 8);
  t.is(await readStr(k, s, 2), 'on');
  t.is(await readStr(k, s), 'e\n');
  t.is(await readStr(k, s), 'two\n');
  const r = start(k, 'read', s, k.mem.alloc(16), 16);
  await tick(20);
  t.false(r.done, 'no complete line yet');
  await writeStr(k, m, 'ee\n');
  t.is(await r.result, 6);
  const ns = await open(k, `/dev/pts/0`, O.RDWR | O.NONBLOCK);
  t.is(await readStr(k, ns), -E.EAGAIN);
});

test('VEOF: ends a line without a newline; on an empty line reads 0', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  await writeStr(k, m, 'ab\x04\x04');
  t.is(await readStr(k, s), 'ab');
  t.is(await readStr(k, s), '');
  t.is(await drain(k, m), 'ab', 'EOF is not echoed');
});

test('ECHOCTL shows control characters as ^X; -ECHO echoes nothing; ECHONL echoes newlines', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  await writeStr(k, m, 'a\x01\x7f\n');
  t.is(await readStr(k, s), 'a\n');
  t.is(await drain(k, m), 'a^A\b \b\b \b\r\n');
  await setFlags(k, s, (x) => { x.lflag &= ~LFLAG.ECHO; });
  await writeStr(k, m, 'secret\n');
  t.is(await readStr(k, s), 'secret\n');
  t.is(await drain(k, m), '');
  await setFlags(k, s, (x) => { x.lflag |= LFLAG.ECHONL; });
  await writeStr(k, m, 'pw\n');
  await readStr(k, s);
  t.is(await drain(k, m), '\r\n');
});

test('LNEXT quotes the next character; REPRINT redraws the line', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  await writeStr(k, m, 'a\x16\x7fb\n');
  t.is(await readStr(k, s), 'a\x7fb\n');
  t.is(await drain(k, m), 'a^\b^?b\r\n');
  await writeStr(k, m, 'xy\x12');
  t.is(await drain(k, m), 'xy^R\r\nxy');
});

test('output processing: ONLCR, -OPOST, OCRNL, XTABS', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  await writeStr(k, s, 'a\nb\n');
  t.is(await readStr(k, m), 'a\r\nb\r\n');
  await setFlags(k, s, (x) => { x.oflag |= OFLAG.OCRNL | OFLAG.XTABS; });
  await writeStr(k, s, 'x\r\ty');
  t.is(await readStr(k, m), 'x\n       y', 'OCRNL: the column is not reset, so the tab is 7 wide');
  await setFlags(k, s, (x) => { x.oflag &= ~OFLAG.OPOST; });
  await writeStr(k, s, 'a\nb');
  t.is(await readStr(k, m), 'a\nb');
});

test('input translation: INLCR, IGNCR, -ICRNL', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  await setFlags(k, s, (x) => { x.iflag = (x.iflag & ~IFLAG.ICRNL) | IFLAG.IGNCR; x.lflag &= ~LFLAG.ECHO; });
  await writeStr(k, m, 'a\rb\n');
  t.is(await readStr(k, s), 'ab\n');
  await setFlags(k, s, (x) => { x.iflag = (x.iflag & ~IFLAG.IGNCR); x.lflag &= ~LFLAG.ICANON; });
  await writeStr(k, m, 'c\r');
  t.is(await readStr(k, s), 'c\r');
});

test('non-canonical: VMIN/VTIME', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  const raw = (min: number, time: number) => setFlags(k, s, (x) => { x.lflag &= ~(LFLAG.ICANON | LFLAG.ECHO); x.cc[VMIN] = min; x.cc[VTIME] = time; });
  await raw(0, 0);
  t.is(await readStr(k, s), '', 'polling read');
  await writeStr(k, m, 'xy');
  await tick();
  t.is(await readStr(k, s), 'xy');
  await raw(3, 0);
  let r = start(k, 'read', s, k.mem.alloc(16), 16);
  await writeStr(k, m, 'ab');
  await tick(20);
  t.false(r.done, 'MIN 3: two bytes are not enough');
  await writeStr(k, m, 'c');
  t.is(await r.result, 3);
  await raw(0, 1);
  const t0 = Date.now();
  t.is(await readStr(k, s), '', 'TIME 1: 0 after 0.1 s');
  t.true(Date.now() - t0 >= 90);
  await raw(5, 1);
  r = start(k, 'read', s, k.mem.alloc(16), 16);
  await tick(150);
  t.false(r.done, 'the inter-byte timer starts with the first byte');
  await writeStr(k, m, 'q');
  t.is(await r.result, 1);
});

test('switching ICANON off makes the pending line readable; TCSETSF flushes input', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  await writeStr(k, m, 'partial');
  await tick();
  await setFlags(k, s, (x) => { x.lflag &= ~LFLAG.ICANON; x.cc[VMIN] = 1; });
  t.is(await readStr(k, s), 'partial');
  await writeStr(k, m, 'gone');
  await tick();
  await setFlags(k, s, () => {}, TCSETSF);
  t.is((await ioctlInt(k, s, FIONREAD)).v, 0);
});

test('ISIG: ^C, ^\\ and ^Z signal the foreground group, flush and echo; NOFLSH keeps input', async (t) => {
  const w = ttyWorld();
  const k = w.task();
  const [m, s] = await openPty(k);
  const pg = k.process.pgid;
  await writeStr(k, m, 'junk\x03');
  await tick();
  t.deepEqual(w.sent, [{ to: 'pgrp', id: pg, sig: 2 }]);
  t.is(await drain(k, m), 'junk^C');
  await writeStr(k, m, '\x1c\x1a');
  t.deepEqual(w.sent.slice(1).map((x) => x.sig), [3, 20]);
  await setFlags(k, s, (x) => { x.lflag |= LFLAG.NOFLSH; });
  await writeStr(k, m, 'kept\x03\n');
  t.is(await readStr(k, s), 'kept\n');
  await setFlags(k, s, (x) => { x.lflag &= ~LFLAG.ISIG; });
  await writeStr(k, m, '\x03\n');
  t.is(await readStr(k, s), '\x03\n');
  t.is(w.sent.length, 4);
});

test('IXON: ^S stops output until ^Q', async (t) => {
  const k = ttyWorld().task();
  const [m, s] = await openPty(k);
  await writeStr(k, m, '\x13');
  const w = start(k, 'write', s, k.mem.str('hi'), 2);
  await tick(20);
  t.false(w.done);
  await writeStr(k, m, '\x11');
  t.is(await w.result, 2);
  t.is(await drain(k, m), 'hi');
});
