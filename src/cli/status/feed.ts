// Snapshots for the dashboard from the instance's subscription. It never starts an instance: with none
// running (or once it ends) the dashboard is told null, and the feed looks for a new one every second.
// An instance that refuses us or breaks the protocol is an error for the caller, not "stopped".
import type { FramedConnection } from '../../interop/protocol/connection.js';
import { connectInstance, subscribe } from '../../interop/instance-client.js';
import type { Snapshot } from '../../interop/protocol/status.js';
import { pbashBuild } from '../../interop/version.js';
import type { Feed } from './Dashboard.js';

const RETRY_MS = 1000;

export class InstanceFeed {
  private listener: ((s: Snapshot | null) => void) | null = null;
  /** The last answer, for a listener that subscribes after it came (undefined: none yet). */
  private last: Snapshot | null | undefined;
  private conn: FramedConnection | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly intervalMs: number | undefined, private readonly failed: (e: Error) => void) {}

  readonly feed: Feed = (listener) => {
    this.listener = listener;
    if (this.last !== undefined) listener(this.last);
    return () => { this.listener = null; };
  };

  start(): void { void this.connect(); }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.conn?.end();
  }

  private emit(s: Snapshot | null): void {
    this.last = s;
    this.listener?.(s);
  }

  private async connect(): Promise<void> {
    try {
      const c = await connectInstance(pbashBuild(), false);
      if (this.stopped) { c?.conn.end(); return; }
      if (c) {
        this.conn = c.conn;
        await subscribe(c.conn, this.intervalMs, (s) => this.emit(s as Snapshot));
        this.conn = null;
        if (this.stopped) return;
      }
    } catch (e) {
      if (!this.stopped) this.failed(e as Error);
      return;
    }
    this.emit(null);
    this.timer = setTimeout(() => void this.connect(), RETRY_MS);
  }
}
