// Framing of the instance protocol: every message is one length-prefixed binary frame.
//
//   u32 BE  length of what follows (type byte + payload), 1 .. MAX_FRAME
//   u8      frame type (FrameType)
//   ...     payload
//
// The decoder is incremental (a socket delivers arbitrary slices) and never buffers more than one frame:
// a length above MAX_FRAME is refused before its bytes arrive, so a hostile peer cannot make us allocate.

/** Largest type+payload a frame may carry: data frames carry at most DATA_CHUNK, control JSON much less. */
export const MAX_FRAME = 1 << 20;
export const HEADER = 5;

export class FrameError extends Error {
  constructor(readonly kind: 'oversized' | 'malformed' | 'truncated', message: string) { super(message); }
}

export interface Frame { type: number; payload: Buffer; }

/** One frame as bytes, ready for socket.write. */
export function encodeFrame(type: number, payload: Uint8Array = EMPTY): Buffer {
  const b = Buffer.allocUnsafe(HEADER + payload.length);
  b.writeUInt32BE(1 + payload.length, 0);
  b[4] = type;
  b.set(payload, HEADER);
  return b;
}
const EMPTY = new Uint8Array(0);

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly max = MAX_FRAME) {}

  /** Bytes received so far that are not a complete frame yet. */
  get pending(): number { return this.buffered; }

  /** Feed bytes; returns the complete frames they finish. Throws FrameError on a bad length. */
  push(data: Buffer): Frame[] {
    this.chunks.push(data);
    this.buffered += data.length;
    const out: Frame[] = [];
    while (this.buffered >= HEADER) {
      const len = this.length();
      if (len === 0) throw new FrameError('malformed', 'frame of length 0 (no type)');
      if (len > this.max) throw new FrameError('oversized', `frame of ${len} bytes (limit ${this.max})`);
      if (this.buffered < 4 + len) break;
      const whole = this.take(4 + len);
      out.push({ type: whole[4], payload: whole.subarray(HEADER) });
    }
    return out;
  }

  /** The stream ended: an unfinished frame is a truncation. */
  end(): void {
    if (this.buffered > 0) throw new FrameError('truncated', `stream ended inside a frame (${this.buffered} bytes)`);
  }

  /** The u32 BE length at the front (4 bytes are buffered), read across chunks when split. */
  private length(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readUInt32BE(0);
    let v = 0;
    for (let i = 0, k = 0, o = 0; i < 4; i++, o++) {
      while (o === this.chunks[k].length) { k++; o = 0; }
      v = v * 256 + this.chunks[k][o];
    }
    return v;
  }

  /**
   * The next n bytes: a view when one chunk holds them (no copy), else one copy of exactly those bytes
   * (a socket delivers at most 64 KiB per read, so a DATA frame usually spans reads; copying more than the
   * frame would copy the next frame's bytes again when it is taken).
   */
  private take(n: number): Buffer {
    const first = this.chunks[0];
    this.buffered -= n;
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift(); else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const frame = Buffer.allocUnsafe(n);
    for (let have = 0; have < n;) {
      const c = this.chunks[0];
      const k = Math.min(c.length, n - have);
      frame.set(k === c.length ? c : c.subarray(0, k), have);
      have += k;
      if (k === c.length) this.chunks.shift(); else this.chunks[0] = c.subarray(k);
    }
    return frame;
  }
}
