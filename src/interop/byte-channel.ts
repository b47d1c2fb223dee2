// Bulk bytes over a framed connection outside a session (image import and export): one stream each way
// with the sessions' credit flow control (messages.ts WINDOW), so neither end ever buffers more than a
// window. Used by both ends: the side that receives grants credit as it consumes; the side that sends
// waits for credit.
import type { FramedConnection } from './protocol/connection.js';
import type { Frame } from './protocol/frame.js';
import { FrameError } from './protocol/frame.js';
import * as M from './protocol/messages.js';

export class ByteChannel {
  private credit = 0;
  private creditWaiter: (() => void) | null = null;
  private readonly chunks: Buffer[] = [];
  private eof = false;
  private granted = 0;
  private dataWaiter: (() => void) | null = null;
  private failure: Error | null = null;

  /** `inStream`: the stream number we receive on; `outStream`: the one we send on. */
  constructor(private readonly conn: FramedConnection, private readonly inStream: number, private readonly outStream: number) {}

  /** Route a DATA/EOF/ACK frame; false when the frame is not a channel frame. */
  frame(f: Frame): boolean {
    if (f.type === M.T.DATA) {
      const s = M.expectStream(f, 0);
      const bytes = f.payload.subarray(1);
      if (s !== this.inStream || this.eof || bytes.length > this.granted) throw new FrameError('malformed', 'DATA beyond the granted credit');
      this.granted -= bytes.length;
      this.chunks.push(Buffer.from(bytes));
    } else if (f.type === M.T.EOF) {
      if (M.expectStream(f, 1) !== this.inStream) throw new FrameError('malformed', 'EOF on the wrong stream');
      this.eof = true;
    } else if (f.type === M.T.ACK) {
      this.credit += M.ackBytes(f);
      this.creditWaiter?.();
      return true;
    } else return false;
    this.dataWaiter?.();
    return true;
  }

  /** The peer is gone or failed: pending reads and writes end with this error. */
  fail(e: Error): void {
    this.failure ??= e;
    this.creditWaiter?.();
    this.dataWaiter?.();
  }

  /** The incoming bytes, granting credit as they are consumed. */
  async *input(): AsyncGenerator<Buffer> {
    for (;;) {
      if (this.granted + this.queued() < M.WINDOW / 2) {
        const more = M.WINDOW - this.granted - this.queued();
        this.granted += more;
        this.conn.send(M.ack(this.inStream, more));
      }
      const c = this.chunks.shift();
      if (c) { yield c; continue; }
      if (this.eof) return;
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => { this.dataWaiter = r; });
      this.dataWaiter = null;
    }
  }

  private queued(): number { return this.chunks.reduce((n, c) => n + c.length, 0); }

  /** Send bytes, waiting for credit. */
  async write(b: Buffer): Promise<void> {
    for (let off = 0; off < b.length;) {
      if (this.failure) throw this.failure;
      if (this.credit === 0) {
        await new Promise<void>((r) => { this.creditWaiter = r; });
        this.creditWaiter = null;
        continue;
      }
      const n = Math.min(b.length - off, this.credit, M.DATA_CHUNK);
      this.conn.send(M.data(this.outStream, b.subarray(off, off + n)));
      this.credit -= n;
      off += n;
    }
  }

  end(): void { this.conn.send(M.streamOnly(M.T.EOF, this.outStream)); }
}
