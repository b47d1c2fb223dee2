import test from 'ava';
import { SessionInput, SessionOutput } from '../../src/instance/session-stream.js';
import { DATA_CHUNK, WINDOW } from '../../src/interop/protocol/messages.js';
import { LinuxError } from '../../src/emu/kernel/errno.js';

const EPIPE = 32;

test('stdin grants no credit until a Linux process reads, then keeps at most a window in flight', async (t) => {
  const grants: number[] = [];
  const input = new SessionInput((n) => grants.push(n));
  t.deepEqual(grants, []);
  t.false(input.push(Buffer.from('x')), 'data before any grant is a protocol violation');
  const buf = new Uint8Array(10);
  const pending = input.read(buf) as Promise<number>;
  t.deepEqual(grants, [WINDOW]);
  t.true(input.push(Buffer.from('hello')));
  t.is(await pending, 5);
  t.is(Buffer.from(buf.subarray(0, 5)).toString(), 'hello');
  t.true(input.push(Buffer.alloc(WINDOW - 5)));
  t.false(input.push(Buffer.from('!')), 'beyond the window');
  // consuming re-grants in batches of at least half a window
  t.is(input.read(new Uint8Array(WINDOW / 2)), WINDOW / 2);
  t.deepEqual(grants, [WINDOW, WINDOW / 2 + 5]);
  input.end();
  t.is(input.read(new Uint8Array(WINDOW)), WINDOW / 2 - 5);
  t.is(input.read(new Uint8Array(1)), 0, 'EOF');
});

test('poll on stdin also starts the credit (select before read)', (t) => {
  const grants: number[] = [];
  const input = new SessionInput((n) => grants.push(n));
  t.is(input.pollMask() & 1, 0);
  t.deepEqual(grants, [WINDOW]);
});

test('stdout sends at once within the window, blocks beyond it until acked, EPIPE once the reader is gone', async (t) => {
  const sent: number[] = [];
  let released = false;
  const out = new SessionOutput((b) => sent.push(b.length), () => { released = true; });
  t.is(out.write(new Uint8Array(1000)), 1000);
  const big = out.write(new Uint8Array(WINDOW)) as Promise<number>;
  t.true(big instanceof Promise, 'a write beyond the window waits');
  t.is(sent.reduce((a, b) => a + b), WINDOW);
  t.true(sent.every((n) => n <= DATA_CHUNK));
  out.ack(1000);
  t.is(await big, WINDOW);
  const blocked = out.write(new Uint8Array(10)) as Promise<number>;
  out.close();
  const e = await t.throwsAsync(blocked, { instanceOf: LinuxError });
  t.is(e!.errno, EPIPE);
  t.throws(() => out.write(new Uint8Array(1)), { instanceOf: LinuxError });
  out.ref();
  out.unref();
  t.true(released);
});
