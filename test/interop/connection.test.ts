// FramedConnection's hand-over: frames that arrive behind a handshake's answer (in the same read) wait for
// the handlers that take the connection over, and a close that came meanwhile reaches those handlers after them.
import test from 'ava';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FramedConnection } from '../../src/interop/protocol/connection.js';
import { encodeFrame, type Frame } from '../../src/interop/protocol/frame.js';

/** A connected client socket whose peer writes `bytes` in one write, then closes. */
async function peerWrites(bytes: Buffer): Promise<net.Socket> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-conn-'));
  const file = path.join(dir, 's');
  const server = net.createServer((s) => { s.end(bytes); server.close(); });
  await new Promise<void>((r) => server.listen(file, r));
  const socket = net.connect(file);
  await new Promise((r) => socket.once('connect', r));
  return socket;
}

test('frames behind the one that hands over wait for the next handlers; the close follows them', async (t) => {
  const socket = await peerWrites(Buffer.concat([encodeFrame(1, Buffer.from('welcome')), encodeFrame(2, Buffer.from('a')), encodeFrame(3, Buffer.from('b'))]));
  const first: number[] = [];
  const handedOver = new Promise<FramedConnection>((resolve) => {
    const conn = new FramedConnection(socket, {
      frame: (f) => { first.push(f.type); if (f.type === 1) { conn.hold(); resolve(conn); } },
      close: () => t.fail('the close belongs to the next handlers'),
    });
  });
  const conn = await handedOver;
  // let the peer's close arrive while the frames are held
  await new Promise((r) => socket.once('close', r));
  const later: Array<Frame | 'close'> = [];
  conn.handlers = { frame: (f) => later.push(f), close: () => later.push('close') };
  t.deepEqual(first, [1]);
  t.deepEqual(later.map((x) => (x === 'close' ? x : [x.type, x.payload.toString()])), [[2, 'a'], [3, 'b'], 'close']);
});
