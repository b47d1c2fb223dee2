// Host streams as pollable files: readiness from background host reads, no bytes lost between a poll and
// the read, EOF as POLLHUP on a pipe, and a non-blocking host fd waited on through libuv (no polling).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostStream } from '../../../src/emu/fs/host-stream.js';
import { POLL } from '../../../src/emu/fs/file.js';
import { O } from '../../../src/emu/fs/constants.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-hsp-'));
const fifo = (name: string): string => { const p = path.join(tmp, name); execFileSync('mkfifo', [p]); return p; };
const changed = (s: HostStream): Promise<void> => new Promise((r) => { const w = (): void => { s.pollQueue!.remove(w); r(); }; s.pollQueue!.add(w); });

test('a blocking pipe: not readable until data comes, then readable; the bytes come from the poll\'s read', async (t) => {
  const p = fifo('a');
  const wfd = fs.openSync(p, fs.constants.O_RDWR); // keeps the FIFO open without blocking
  const rfd = fs.openSync(p, fs.constants.O_RDONLY);
  const s = new HostStream(rfd);
  t.is(s.flags & O.ACCMODE, O.RDONLY, 'the access mode is the host fd\'s');
  t.is(s.pollMask() & POLL.IN, 0);
  const woke = changed(s);
  fs.writeSync(wfd, 'ping');
  await woke;
  t.is(s.pollMask() & (POLL.IN | POLL.OUT), POLL.IN, 'readable, and not writable (read-only fd)');
  const buf = new Uint8Array(16);
  t.is(await s.read(buf), 4);
  t.is(Buffer.from(buf.subarray(0, 4)).toString(), 'ping');
  fs.closeSync(wfd);
  const eof = changed(s);
  s.pollMask(); // starts the next background read, which sees EOF
  await eof;
  t.is(s.pollMask(), POLL.HUP, 'EOF on a pipe is POLLHUP');
  t.is(await s.read(buf), 0);
});

test('bytes or EOF already in the host pipe make the very first poll true (a zero-timeout poll, bash read -t 0)', async (t) => {
  const p = fifo('c');
  const wfd = fs.openSync(p, fs.constants.O_RDWR);
  const rfd = fs.openSync(p, fs.constants.O_RDONLY);
  fs.writeSync(wfd, 'waiting');
  const s = new HostStream(rfd);
  t.is(s.pollMask() & (POLL.IN | POLL.RDNORM), POLL.IN | POLL.RDNORM, 'readable before any background read finished');
  const buf = new Uint8Array(16);
  t.is(await s.read(buf), 7);
  const q = fifo('d');
  const qw = fs.openSync(q, fs.constants.O_RDWR);
  const qr = fs.openSync(q, fs.constants.O_RDONLY);
  fs.closeSync(qw);
  const e = new HostStream(qr);
  t.is(e.pollMask() & POLL.HUP, POLL.HUP, 'a writer already gone: POLLHUP at once');
  t.is(await e.read(buf), 0);
});

test('a non-blocking pipe is waited on through a libuv stream; EOF is seen', async (t) => {
  const p = fifo('b');
  const rfd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const wfd = fs.openSync(p, fs.constants.O_WRONLY);
  const s = new HostStream(rfd);
  const alive = setInterval(() => {}, 1000); // the stream is unref'd: in pbash, live tasks keep the loop up
  t.teardown(() => clearInterval(alive));
  const buf = new Uint8Array(16);
  const r = s.read(buf);
  t.true(r instanceof Promise);
  setTimeout(() => fs.writeSync(wfd, 'late'), 50);
  t.is(await r, 4);
  t.is(Buffer.from(buf.subarray(0, 4)).toString(), 'late');
  setTimeout(() => fs.closeSync(wfd), 20);
  t.is(await s.read(buf), 0);
});

test('regular files have no wait queue and are always ready (epoll_ctl gives EPERM)', (t) => {
  const f = path.join(tmp, 'file');
  fs.writeFileSync(f, 'x');
  const s = new HostStream(fs.openSync(f, 'r'));
  t.is(s.pollQueue, null);
  t.is(s.pollMask() & POLL.IN, POLL.IN);
  t.is(s.read(new Uint8Array(4)), 1, 'synchronous');
});
