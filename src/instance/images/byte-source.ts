// Exact-size reads over a stream of chunks: what a tar parser needs (headers of 512 bytes, bodies of a
// declared size) without buffering more than one chunk ahead.
export type Chunks = AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>;

export class TruncatedError extends Error {}

export class ByteSource {
  private readonly it: AsyncIterator<Buffer>;
  private buf: Buffer = Buffer.alloc(0);
  private done = false;
  /** Bytes consumed so far (for error messages). */
  offset = 0;

  constructor(src: Chunks) {
    const inner = Symbol.asyncIterator in src ? src[Symbol.asyncIterator]() : src[Symbol.iterator]();
    this.it = {
      return: async () => { await inner.return?.(); return { done: true, value: undefined }; },
      next: async () => {
        const r = await inner.next();
        return r.done ? r : { done: false, value: Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value) };
      },
    };
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) { this.done = true; return false; }
    this.buf = this.buf.length ? Buffer.concat([this.buf, r.value]) : r.value;
    return true;
  }

  /** Exactly n bytes; null at a clean end of input (nothing left); TruncatedError if the input stops inside. */
  async read(n: number): Promise<Buffer | null> {
    while (this.buf.length < n) {
      if (!(await this.fill())) {
        if (this.buf.length === 0) return null;
        throw new TruncatedError(`input ends inside a record at byte ${this.offset + this.buf.length}`);
      }
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    this.offset += n;
    return out;
  }

  /** The next n bytes in pieces as they arrive; TruncatedError if the input stops first. */
  async *pieces(n: number): AsyncGenerator<Buffer> {
    while (n > 0) {
      if (this.buf.length === 0 && !(await this.fill())) {
        throw new TruncatedError(`input ends ${n} bytes before the end of a member at byte ${this.offset}`);
      }
      const take = Math.min(n, this.buf.length);
      const out = this.buf.subarray(0, take);
      this.buf = this.buf.subarray(take);
      this.offset += take;
      n -= take;
      yield out;
    }
  }

  /** Let the input go (a generator's cleanup runs) once the reader is done with it. */
  async close(): Promise<void> { await this.it.return?.(); }

  /** Read on for at most n more bytes of input, discarding them: lets an input that is about to fail (a
   *  decompressor fed corrupt data) report its own error before the parser's. */
  async drain(n: number): Promise<void> {
    this.buf = Buffer.alloc(0);
    for (let seen = 0; seen < n && !this.done;) {
      const r = await this.it.next();
      if (r.done) { this.done = true; return; }
      seen += r.value.length;
    }
  }

  async skip(n: number): Promise<void> {
    for await (const _ of this.pieces(n)) { /* discard */ }
  }
}
