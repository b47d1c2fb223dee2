// The page cache of host files mapped MAP_SHARED (hostfs, DrvFs, VolFs blobs): one shared segment per host
// file (by host st_dev/st_ino) while any process maps it shared, so every mapping shows the same pages.
// read() and write() of the file go through it while it exists (a read sees the mappings' stores at once,
// a write is seen by the mappings), and the pages go back to the host file on msync, munmap and exit.
// The host file itself is never mapped: a host mapping past its end would fault the daemon (SIGBUS).
// Partial: a change made to the host file from outside is not seen by the mappings while they exist.
import { SharedSegment } from '../../mm/shared-memory.js';

/** Positional I/O on the host file: reads of the file itself (never through this cache), writes as write(). */
export interface HostIo {
  size(): number;
  readAt(buf: Uint8Array, pos: number): number;
  writeAt(buf: Uint8Array, pos: number): number;
}

interface Cached {
  seg: SharedSegment;
  /** Bytes [0, filled) of the segment hold the file's bytes (zeros past its end). */
  filled: number;
  /** The open file the pages were read from and go back to, held open while the pages exist. */
  held: HeldFile;
}

/** An open file held for the cache (as a VMA holds its file): its I/O, and the call that lets it go. */
export interface HeldFile { io: HostIo; writable: boolean; done(): void; }

const cache = new Map<string, Cached>();

/** Write-back compares in chunks of this size and writes only the chunks that differ. */
const CHUNK = 64 * 1024;

/** Whether any host file is mapped shared (read and write pay for the lookup only then). */
export const anyShared = (): boolean => cache.size > 0;

/**
 * The segment of the file `key` with at least [0, minSize) holding its bytes; made on first use, holding
 * the file `hold` gives (a writable one once there is one, for the write-back) until the last mapping goes.
 */
export function sharedPages(key: string, minSize: number, writable: boolean, hold: () => HeldFile): SharedSegment {
  let c = cache.get(key);
  if (!c) {
    const entry: Cached = { seg: new SharedSegment(minSize), filled: 0, held: hold() };
    entry.seg.onRelease = () => { cache.delete(key); entry.held.done(); };
    cache.set(key, (c = entry));
  } else if (writable && !c.held.writable) {
    const old = c.held;
    c.held = hold();
    old.done();
  }
  const io = c.held.io;
  if (c.filled < minSize) {
    c.seg.grow(minSize);
    const to = c.seg.size, u8 = c.seg.u8;
    const avail = Math.min(to, io.size());
    for (let at = c.filled; at < avail;) {
      const n = io.readAt(u8.subarray(at, avail), at);
      if (n <= 0) break;
      at += n;
    }
    c.filled = to;
  }
  return c.seg;
}

/** msync/munmap/exit: [pos, pos+len) of the pages (inside the file's current size) back to the host file. */
export function writeBack(key: string, pos: number, len: number): void {
  const c = cache.get(key);
  if (!c) return;
  const io = c.held.io;
  const end = Math.min(pos + len, io.size(), c.filled);
  const u8 = c.seg.u8, onDisk = new Uint8Array(CHUNK);
  for (let at = pos; at < end; at += CHUNK) {
    const n = Math.min(CHUNK, end - at);
    const got = io.readAt(onDisk.subarray(0, n), at);
    const mine = u8.subarray(at, at + n);
    if (got === n && Buffer.compare(onDisk.subarray(0, n), mine) === 0) continue;
    io.writeAt(mine, at);
  }
}

/** read(): bytes [pos, pos+n) just read from the host file become the cached pages' where they exist. */
export function overlayRead(key: string, buf: Uint8Array, pos: number, n: number): void {
  const c = cache.get(key);
  if (!c || pos >= c.filled) return;
  const end = Math.min(pos + n, c.filled);
  buf.set(c.seg.u8.subarray(pos, end), 0);
}

/** write(): what was written to the host file is also what the mappings show. */
export function writeThrough(key: string, buf: Uint8Array, pos: number): void {
  const c = cache.get(key);
  if (!c || pos >= c.filled) return;
  c.seg.u8.set(buf.subarray(0, Math.min(buf.length, c.filled - pos)), pos);
}

/** ftruncate(): bytes past the new end read zero if the file grows again. */
export function truncated(key: string, size: number): void {
  const c = cache.get(key);
  if (c && size < c.filled) c.seg.u8.fill(0, size, c.filled);
}
