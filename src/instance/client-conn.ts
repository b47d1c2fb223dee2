// One client connection on the daemon side: the handshake (token and protocol version, else refused and
// logged), then a single request: a control operation, or `create`, which makes it a session.
// Anything malformed ends this connection only, with the reason in the log.
import type { Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { FramedConnection } from '../interop/protocol/connection.js';
import { FrameError, encodeFrame, type Frame } from '../interop/protocol/frame.js';
import * as M from '../interop/protocol/messages.js';
import { Session, type SessionContext } from './session.js';
import { ByteChannel } from '../interop/byte-channel.js';
import type { Snapshot } from '../interop/protocol/status.js';
import { subscribe } from './subscription.js';

const HANDSHAKE_TIMEOUT_MS = 5000;
let nextConn = 1;

export interface ConnectionOwner extends SessionContext {
  token: string;
  version: string;
  /** An authenticated client arrived / left (idle accounting). */
  joined(): void;
  left(): void;
  sessions: Set<Session>;
  request(req: M.Request): Promise<M.Reply>;
  /** The `pbash status` snapshot, for subscriptions. */
  snapshot(): Snapshot;
  /** An image operation; its archive travels on `chan`. */
  imageOp(req: M.ImageRequest, chan: ByteChannel, progress: (p: M.Progress) => void): Promise<M.Reply>;
  shutdown(reason: string): void;
}

export function serveConnection(socket: Socket, owner: ConnectionOwner): void {
  const id = nextConn++;
  let state: 'hello' | 'ready' | 'busy' | 'session' | 'image' | 'subscribed' = 'hello';
  let stopSubscription: (() => void) | null = null;
  let session: Session | null = null;
  let chan: ByteChannel | null = null;
  const timer = setTimeout(() => {
    owner.log(`connection ${id}: no handshake within ${HANDSHAKE_TIMEOUT_MS} ms: closed`);
    socket.destroy();
  }, HANDSHAKE_TIMEOUT_MS);

  const refuse = (why: string): void => {
    owner.log(`connection ${id}: refused: ${why}`);
    conn.end(encodeFrame(M.T.REFUSED, Buffer.from(why)));
    setTimeout(() => socket.destroy(), 1000).unref();
  };

  const onFrame = (f: Frame): void => {
    switch (state) {
      case 'hello': {
        clearTimeout(timer);
        let h;
        try { h = M.parseHello(f); } catch { return refuse('no handshake'); }
        if (h.version !== M.PROTOCOL_VERSION) return refuse(`protocol version ${h.version}, the instance speaks ${M.PROTOCOL_VERSION}`);
        if (!sameToken(h.token, owner.token)) return refuse('wrong token');
        state = 'ready';
        owner.joined();
        conn.send(M.json(M.T.WELCOME, { version: owner.version, pid: process.pid }));
        return;
      }
      case 'ready': {
        if (f.type !== M.T.REQUEST) throw new FrameError('malformed', `frame 0x${f.type.toString(16)} before a request`);
        const req = M.parseJson<M.Request>(f);
        if (req && req.op === 'create') {
          state = 'session';
          session = new Session(conn, req, owner);
          owner.sessions.add(session);
          session.start();
          return;
        }
        if (req && req.op === 'subscribe') {
          state = 'subscribed';
          stopSubscription = subscribe(conn, req.intervalMs, () => owner.snapshot());
          return;
        }
        if (req && req.op === 'shutdown') {
          conn.end(M.json(M.T.REPLY, { ok: true, pid: process.pid }));
          owner.shutdown('requested by a client');
          return;
        }
        const reply = (r: M.Reply): void => conn.end(M.json(M.T.REPLY, r));
        const failed = (e: Error): void => { owner.log(`connection ${id}: ${req?.op}: ${e.stack ?? e.message}`); reply({ ok: false, error: e.message }); };
        if (req && M.IMAGE_OPS.has(req.op)) {
          state = 'image';
          const c = chan = new ByteChannel(conn, M.STDIN, M.STDOUT);
          owner.imageOp(req as M.ImageRequest, c, (p) => conn.send(M.json(M.T.PROGRESS, p))).then(reply, failed);
          return;
        }
        state = 'busy';
        owner.request(req).then(reply, failed);
        return;
      }
      case 'session': return session!.frame(f);
      case 'image':
        if (!chan!.frame(f)) throw new FrameError('malformed', `frame 0x${f.type.toString(16)} during an image operation`);
        return;
      case 'subscribed': throw new FrameError('malformed', 'frame on a subscription');
      case 'busy': throw new FrameError('malformed', 'frame while a request is being served');
    }
  };

  const conn = new FramedConnection(socket, {
    frame: onFrame,
    error: (e) => {
      owner.log(`connection ${id}${session ? ` (session ${session.id})` : ''}: ${e instanceof FrameError ? `${e.kind} frame: ` : ''}${e.message}`);
    },
    close: () => {
      clearTimeout(timer);
      stopSubscription?.();
      if (session) { session.disconnected('connection closed'); owner.sessions.delete(session); }
      chan?.fail(new Error('the client went away'));
      if (state !== 'hello') owner.left();
    },
  });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
