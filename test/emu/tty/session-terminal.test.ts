// The session terminal the daemon holds: input, output with backpressure, resize, adoption, hangup.
import test from 'ava';
import { E } from '../../../src/emu/kernel/errno.js';
import { SIG } from '../../../src/emu/kernel/signals.js';
import { createSessionTerminal } from '../../../src/emu/fs/tty/session-terminal.js';
import { OUTPUT_CAPACITY } from '../../../src/emu/fs/tty/tty.js';
import type { Kernel } from '../../../src/emu/kernel/kernel.js';
import { call, ioctlInt, open, readStr, start, tick, ttyWorld, writeStr } from './tty-world.js';

const TIOCGPGRP = 0x540f, TIOCGWINSZ = 0x5413;

function setup() {
  const w = ttyWorld();
  const term = createSessionTerminal(w.kernel as Kernel, { rows: 30, cols: 100 });
  const sh = w.task();
  sh.files.installAt(0, term.slave);
  sh.files.installAt(1, term.slave);
  const out: string[] = [];
  return { w, term, sh, out, text: () => out.join('') };
}

test('keystrokes in, echo and output out; the first session leader to use it gets it as controlling terminal', async (t) => {
  const { term, sh, out, text } = setup();
  t.is(term.name, '/dev/pts/0');
  term.onOutput((b) => { out.push(Buffer.from(b).toString('latin1')); });
  term.input(new TextEncoder().encode('ls\r'));
  t.is(await readStr(sh, 0), 'ls\n');
  t.is(await writeStr(sh, 1, 'a\nb\n'), 4);
  await tick();
  t.is(text(), 'ls\r\na\r\nb\r\n');
  t.is((await ioctlInt(sh, 0, TIOCGPGRP)).v, sh.process.pid);
  t.true(await open(sh, '/dev/tty') >= 0);
  const ws = sh.mem.alloc(8);
  await call(sh, 'ioctl', 0, TIOCGWINSZ, ws);
  t.deepEqual([...sh.mem.read(ws, 4)], [30, 0, 100, 0]);
});

test('resize sends SIGWINCH to the foreground group; ^C SIGINT', async (t) => {
  const { w, term, sh } = setup();
  term.attach(sh.process);
  term.resize(40, 120);
  term.input(Uint8Array.of(3));
  t.deepEqual(w.sent, [{ to: 'pgrp', id: sh.process.pid, sig: SIG.SIGWINCH }, { to: 'pgrp', id: sh.process.pid, sig: SIG.SIGINT }]);
});

test('backpressure: a paused client blocks the writer once the buffer is full', async (t) => {
  const { term, sh } = setup();
  let got = 0;
  let accept = false;
  term.onOutput((b) => { got += b.length; return accept; });
  const big = sh.mem.alloc(OUTPUT_CAPACITY * 3);
  sh.mem.write(big, new Uint8Array(OUTPUT_CAPACITY * 3).fill(97));
  const w1 = start(sh, 'write', 1, big, OUTPUT_CAPACITY * 3);
  await tick(20);
  t.false(w1.done, 'blocked while the client is paused');
  t.true(got <= OUTPUT_CAPACITY * 2);
  accept = true;
  term.resumeOutput();
  t.is(await w1.result, OUTPUT_CAPACITY * 3);
  await tick();
  t.is(got, OUTPUT_CAPACITY * 3);
  // no callback at all behaves as paused
  term.pauseOutput();
  const w2 = start(sh, 'write', 1, big, OUTPUT_CAPACITY * 2);
  await tick(20);
  t.false(w2.done);
  term.resumeOutput();
  t.is(await w2.result, OUTPUT_CAPACITY * 2);
});

test('input larger than the line buffer is queued, not lost', async (t) => {
  const { term, sh } = setup();
  term.onOutput(() => {});
  const line = 'x'.repeat(3000) + '\r';
  term.input(new TextEncoder().encode(line + line));
  t.is((await readStr(sh, 0, 8192) as string).length, 3001);
  await tick();
  t.is((await readStr(sh, 0, 8192) as string).length, 3001);
});

test('hangup: SIGHUP and SIGCONT to the leader; EOF for readers, EIO for writers; /dev/pts/N gone', async (t) => {
  const { w, term, sh } = setup();
  term.onOutput(() => {});
  await ioctlInt(sh, 0, TIOCGPGRP); // adopt
  const r = start(sh, 'read', 0, sh.mem.alloc(8), 8);
  await tick(10);
  term.hangup();
  t.is(await r.result, -E.EIO);
  t.is(await call(sh, 'read', 0, sh.mem.alloc(8), 8), 0);
  t.deepEqual(w.sent.map((x) => [x.to, x.sig]), [['pid', SIG.SIGHUP], ['pid', SIG.SIGCONT]]);
  t.is(await writeStr(sh, 1, 'x'), -E.EIO);
  const st = sh.mem.alloc(144);
  t.is(await call(sh, 'stat', sh.mem.str('/dev/pts/0'), st), -E.ENOENT);
});
