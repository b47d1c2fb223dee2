// Host standard streams: asynchronous reads, synchronous writes that finish in a Promise on EAGAIN,
// fstat of the host fd, ENOTTY for terminal ioctls.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { E, LinuxError } from '../../../src/emu/kernel/errno.js';
import { HostStream } from '../../../src/emu/fs/host-stream.js';
import { S_IFIFO, S_IFMT, S_IFREG } from '../../../src/emu/fs/constants.js';
import type { Task } from '../../../src/emu/kernel/task.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-hs-'));

test('a FIFO host fd: sync write, async read, EAGAIN turns a write into a Promise that completes', async (t) => {
  const fifo = path.join(tmp, 'fifo');
  execFileSync('mkfifo', [fifo]);
  // two descriptions, as a session's stdin and stdout are: the guest reads one end and writes the other
  const rfd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const wfd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  const r = new HostStream(rfd), w = new HostStream(wfd);
  // host streams' libuv handles are unref'd: in the kernel, live tasks keep the event loop up; here, this does
  const keepAlive = setInterval(() => {}, 1000);
  t.teardown(() => clearInterval(keepAlive));
  t.is(w.stat().mode & S_IFMT, S_IFIFO);
  t.is(w.write(Buffer.from('hi')), 2);
  const buf = new Uint8Array(10);
  const first = r.read(buf);
  t.true(first instanceof Promise, 'reads never block the event loop');
  t.is(await first, 2);
  const big = new Uint8Array(300_000).fill(1);
  const pending = w.write(big);
  t.true(pending instanceof Promise, 'the pipe filled up');
  let got = 0;
  while (got < big.length) got += await r.read(new Uint8Array(65536));
  t.is(await pending, big.length);
  t.is(got, big.length);
  t.throws(() => r.ioctl({} as Task, 0x5401, 0), { instanceOf: LinuxError, message: /ENOTTY/ });
  t.throws(() => r.seek(0, 0), { message: /ESPIPE/ });
  // the fds stay open: a libuv stream may own them now, and closing an fd under libuv aborts the process
});

test('a regular-file host fd reads, seeks and reopens', async (t) => {
  const f = path.join(tmp, 'file');
  fs.writeFileSync(f, 'abcdef');
  const fd = fs.openSync(f, 'r');
  const s = new HostStream(fd);
  t.is(s.stat().mode & S_IFMT, S_IFREG);
  const buf = new Uint8Array(3);
  t.is(await s.read(buf), 3);
  t.is(Buffer.from(buf).toString(), 'abc');
  t.is(s.seek(1, 0), 1);
  t.is(await s.read(buf), 3);
  t.is(Buffer.from(buf).toString(), 'bcd');
  t.is(s.available(), 2);
  // positional reads leave the position alone; a pipe has no positions
  t.is(s.pread(buf, 3), 3);
  t.is(Buffer.from(buf).toString(), 'def');
  t.is(s.available(), 2);
  const again = s.reopen(0);
  t.true(again instanceof HostStream);
  fs.closeSync(fd);
});

test('EPIPE when the reader is gone', (t) => {
  const fifo = path.join(tmp, 'fifo2');
  execFileSync('mkfifo', [fifo]);
  const rfd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const wfd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  fs.closeSync(rfd);
  const s = new HostStream(wfd);
  const e = t.throws(() => s.write(Buffer.from('x')), { instanceOf: LinuxError });
  t.is(e?.errno, E.EPIPE);
  fs.closeSync(wfd);
});

test('a split read buffer gets one stream read (no wait for more once bytes arrived)', async (t) => {
  const { readInto } = await import('../../../src/emu/fs/io.js');
  const fifo = path.join(tmp, 'fifo3');
  execFileSync('mkfifo', [fifo]);
  const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const s = new HostStream(fd);
  s.write(Buffer.from('abcdef'));
  const a = new Uint8Array(4), b = new Uint8Array(4);
  t.is(await readInto(s, [a, b]), 6);
  t.is(Buffer.concat([a, b.subarray(0, 2)]).toString(), 'abcdef');
});

test('a regular-file host fd takes pwrite at an offset (copy_file_range into a redirected stdout)', (t) => {
  const f = path.join(tmp, 'out');
  fs.writeFileSync(f, 'xxxxxx');
  const fd = fs.openSync(f, 'r+');
  const s = new HostStream(fd);
  t.is(s.pwrite(Buffer.from('ab'), 2), 2);
  t.is(fs.readFileSync(f, 'utf8'), 'xxabxx');
  fs.closeSync(fd);
  const fifo = path.join(tmp, 'fifo-positional');
  execFileSync('mkfifo', [fifo]);
  const rfd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const wfd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  t.throws(() => new HostStream(wfd, 1).pwrite(Buffer.from('a'), 0), { message: /ESPIPE/ });
  t.throws(() => new HostStream(rfd, 0).pread(new Uint8Array(1), 0), { message: /ESPIPE/ });
});
