// A `subscribe` request: the connection receives a status snapshot now and then at a steady rate until the
// client closes it, so a dashboard needs no new connection per refresh.
import type { FramedConnection } from '../interop/protocol/connection.js';
import * as M from '../interop/protocol/messages.js';
import type { Snapshot } from '../interop/protocol/status.js';

/** 2 snapshots per second unless asked otherwise; the bounds keep a client from making the daemon spin. */
export const DEFAULT_INTERVAL_MS = 500;
const MIN_INTERVAL_MS = 100, MAX_INTERVAL_MS = 60_000;
/** A client that does not read: skip snapshots rather than queue them. */
const MAX_BACKLOG = 1 << 20;

/** Start sending snapshots; the returned function stops them (the connection closed). */
export function subscribe(conn: FramedConnection, intervalMs: unknown, snapshot: () => Snapshot): () => void {
  const ms = typeof intervalMs === 'number' && Number.isFinite(intervalMs)
    ? Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, intervalMs)) : DEFAULT_INTERVAL_MS;
  const send = (): void => { if (conn.backlog < MAX_BACKLOG) conn.send(M.json(M.T.SNAPSHOT, snapshot())); };
  send();
  const timer = setInterval(send, ms);
  return () => clearInterval(timer);
}
