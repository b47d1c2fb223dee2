// A FIFO of bytes kept as chunks: pipe buffers, a tty's output, host and session stream buffers.
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  size = 0;

  push(b: Uint8Array): void {
    if (!b.length) return;
    this.chunks.push(b);
    this.size += b.length;
  }

  /** Copy up to buf.length bytes out. */
  take(buf: Uint8Array): number {
    let n = 0;
    while (n < buf.length && this.chunks.length) {
      const c = this.chunks[0];
      const k = Math.min(c.length, buf.length - n);
      buf.set(c.subarray(0, k), n);
      n += k;
      if (k === c.length) this.chunks.shift(); else this.chunks[0] = c.subarray(k);
    }
    this.size -= n;
    return n;
  }

  /** Copy up to buf.length bytes out without taking them (tee(2)). */
  peek(buf: Uint8Array): number {
    let n = 0;
    for (const c of this.chunks) {
      if (n >= buf.length) break;
      const k = Math.min(c.length, buf.length - n);
      buf.set(c.subarray(0, k), n);
      n += k;
    }
    return n;
  }

  /** Everything, as one array (for handing to a callback). */
  takeAll(): Uint8Array {
    const out = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    return out;
  }

  clear(): void { this.chunks = []; this.size = 0; }
}
