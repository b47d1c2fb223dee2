import test from 'ava';
import { FrameDecoder, FrameError, MAX_FRAME, encodeFrame } from '../../src/interop/protocol/frame.js';
import * as M from '../../src/interop/protocol/messages.js';

test('frames round-trip whole, concatenated, and split byte by byte', (t) => {
  const frames = [encodeFrame(7, Buffer.from('hello')), encodeFrame(8), M.data(M.STDOUT, Buffer.alloc(70000, 1))];
  const all = Buffer.concat(frames);
  const whole = new FrameDecoder().push(all);
  t.deepEqual(whole.map((f) => f.type), [7, 8, M.T.DATA]);
  t.is(whole[0].payload.toString(), 'hello');
  t.is(whole[1].payload.length, 0);
  t.is(whole[2].payload.length, 70001);
  const d = new FrameDecoder();
  const got = [];
  for (let i = 0; i < all.length; i += 997) got.push(...d.push(all.subarray(i, i + 997)));
  t.deepEqual(got.map((f) => [f.type, f.payload.length]), whole.map((f) => [f.type, f.payload.length]));
  t.deepEqual(got[2].payload, whole[2].payload);
  const one = new FrameDecoder();
  const bytes = [];
  for (const b of encodeFrame(3, Buffer.from('xyz'))) bytes.push(...one.push(Buffer.of(b)));
  t.is(bytes.length, 1);
  t.notThrows(() => one.end());
});

test('an oversized length is refused before its bytes arrive', (t) => {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(MAX_FRAME + 1, 0);
  const e = t.throws(() => new FrameDecoder().push(head), { instanceOf: FrameError });
  t.is(e!.kind, 'oversized');
  const small = new FrameDecoder(100);
  const big = encodeFrame(1, Buffer.alloc(200));
  t.is((t.throws(() => small.push(big.subarray(0, 5)), { instanceOf: FrameError }))!.kind, 'oversized');
});

test('a zero length is malformed; a stream ending inside a frame is truncated', (t) => {
  t.is((t.throws(() => new FrameDecoder().push(Buffer.alloc(8)), { instanceOf: FrameError }))!.kind, 'malformed');
  const d = new FrameDecoder();
  d.push(encodeFrame(1, Buffer.from('abcdef')).subarray(0, 7));
  t.is((t.throws(() => d.end(), { instanceOf: FrameError }))!.kind, 'truncated');
});

test('HELLO carries the protocol version and the token; garbage is malformed', (t) => {
  const [f] = new FrameDecoder().push(M.hello('s3cret'));
  t.deepEqual(M.parseHello(f), { version: M.PROTOCOL_VERSION, token: 's3cret' });
  t.throws(() => M.parseHello({ type: M.T.HELLO, payload: Buffer.from('nope') }), { instanceOf: FrameError });
  t.throws(() => M.parseHello({ type: M.T.REQUEST, payload: f.payload }), { instanceOf: FrameError });
  const bad = Buffer.from(f.payload);
  bad[6] = 99; // token length beyond the payload
  t.throws(() => M.parseHello({ type: M.T.HELLO, payload: bad }), { instanceOf: FrameError });
});

test('control and flow-control messages decode to what was encoded', (t) => {
  const [a, r, x, j] = new FrameDecoder().push(Buffer.concat([M.ack(M.STDERR, 123456), M.resize({ rows: 50, cols: 132 }),
    M.exit(130, 'interrupted'), M.json(M.T.REQUEST, { op: 'status' })]));
  t.is(M.expectStream(a, 5), M.STDERR);
  t.is(M.ackBytes(a), 123456);
  t.deepEqual(M.parseResize(r), { rows: 50, cols: 132 });
  t.deepEqual(M.parseExit(x), { code: 130, message: 'interrupted' });
  t.deepEqual(M.parseJson(j), { op: 'status' });
  t.throws(() => M.parseJson({ type: M.T.REQUEST, payload: Buffer.from('{') }), { instanceOf: FrameError });
  t.throws(() => M.expectStream({ type: M.T.ACK, payload: Buffer.of(7, 0, 0, 0, 1) }, 5), { instanceOf: FrameError });
  t.throws(() => M.ackBytes({ type: M.T.ACK, payload: Buffer.of(1, 0) }), { instanceOf: FrameError });
});
