// Moving bytes through open files for the read/write family: scatter/gather over guest buffers, and
// file-to-file copies (sendfile, copy_file_range). Synchronous while every step is; once a step returns
// a Promise (a blocking host stream), the rest continues asynchronously.
import type { IoResult, OpenFile } from './file.js';

/** Longest single transfer, as Linux clamps it (MAX_RW_COUNT). */
export const MAX_RW_COUNT = 0x7ffff000;

/**
 * Run `op` on each buffer in turn (`done`: bytes moved before this buffer) until one comes back short.
 * An error after some bytes moved ends the transfer with the count, as Linux's vectored I/O does.
 */
export function transfer(bufs: Uint8Array[], op: (b: Uint8Array, done: number) => IoResult): IoResult {
  const step = (i: number, total: number): IoResult => {
    for (; i < bufs.length; i++) {
      const b = bufs[i]!;
      if (b.length === 0) continue;
      let r: IoResult;
      try { r = op(b, total); } catch (e) { if (total > 0) return total; throw e; }
      if (typeof r !== 'number') {
        const next = i + 1, before = total;
        return r.then((n) => (n < b.length ? before + n : step(next, before + n)),
          (e) => { if (before > 0) return before; throw e; });
      }
      total += r;
      if (r < b.length) return total;
    }
    return total;
  };
  return step(0, 0);
}

/**
 * read/readv into guest buffers. A stream gets one read (through a bounce buffer when the guest's buffer is
 * split), so a read never waits for more once some bytes arrived, as a pipe or terminal read returns early.
 */
export function readInto(f: OpenFile, bufs: Uint8Array[]): IoResult {
  if (!f.stream || bufs.length <= 1) return transfer(bufs, (b) => f.read(b));
  const total = bufs.reduce((n, b) => n + b.length, 0);
  const bounce = new Uint8Array(Math.min(total, 1 << 20));
  const scatter = (n: number): number => {
    let off = 0;
    for (const b of bufs) {
      if (off >= n) break;
      const k = Math.min(b.length, n - off);
      b.set(bounce.subarray(off, off + k));
      off += k;
    }
    return n;
  };
  const r = f.read(bounce);
  return typeof r === 'number' ? scatter(r) : r.then(scatter);
}

/** Copy up to `count` bytes: read a chunk, write it whole, until a short read or the count. */
export function pump(read: (b: Uint8Array) => IoResult, write: (b: Uint8Array) => IoResult, count: number): IoResult {
  const buf = new Uint8Array(Math.max(1, Math.min(count, 1 << 17)));
  let total = 0;
  const fail = (e: unknown): number => { if (total > 0) return total; throw e; };
  const afterWrite = (want: number, w: number): boolean => { total += w; return w === want; };
  const loop = (): IoResult => {
    try {
      while (total < count) {
        const r = read(buf.subarray(0, Math.min(buf.length, count - total)));
        if (typeof r !== 'number') return r.then((n) => writeThen(n), fail);
        if (r === 0) return total;
        const w = transfer([buf.subarray(0, r)], (b) => write(b));
        if (typeof w !== 'number') return w.then((n) => (afterWrite(r, n) ? loop() : total), fail);
        if (!afterWrite(r, w)) return total;
      }
      return total;
    } catch (e) { return fail(e); }
  };
  const writeThen = (n: number): IoResult => {
    if (n === 0) return total;
    const w = transfer([buf.subarray(0, n)], (b) => write(b));
    if (typeof w !== 'number') return w.then((m) => (afterWrite(n, m) ? loop() : total), fail);
    return afterWrite(n, w) ? loop() : total;
  };
  return loop();
}
