// Moving bytes through pipes without a user buffer (fs/splice.c): splice between a pipe and a file, socket or
// another pipe, tee(2) and vmsplice(2). Each waits as a pipe read or write would: for data in the source pipe
// (none and no writers: 0), for room in the destination pipe (no readers: EPIPE); SPLICE_F_NONBLOCK or
// the pipe's O_NONBLOCK make that wait EAGAIN, and a signal ends it with ERESTARTSYS.
import { E, err } from '../kernel/errno.js';
import { waitOn } from '../kernel/wait-queue.js';
import type { IoResult, OpenFile } from './file.js';
import type { Pipe } from './pipe.js';

/** Largest chunk read from a file into a pipe at once (the pipe's room bounds it anyway). */
const CHUNK = 1 << 20;

const then = (r: IoResult, f: (n: number) => IoResult): IoResult => (typeof r === 'number' ? f(r) : r.then(f));

/** Run `act` once the pipe has data; 0 when it is empty with no writer left (splice_from_pipe_next). */
function whenReadable(p: Pipe, nonblock: boolean, act: () => IoResult): IoResult {
  let ready = false;
  const attempt = (): number | null => (p.size > 0 ? ((ready = true), 0) : p.writers === 0 ? 0 : null);
  const r = attempt() ?? (nonblock ? null : waitOn([p.queue], attempt));
  if (r === null) throw err(E.EAGAIN);
  return then(r, () => (ready ? act() : 0));
}

/** Run `act` with the room the pipe has once it has some (wait_for_space); EPIPE when nobody reads. */
function whenWritable(p: Pipe, nonblock: boolean, act: (room: number) => IoResult): IoResult {
  const attempt = (): number | null => {
    if (p.readers === 0) throw err(E.EPIPE);
    return p.room > 0 ? p.room : null;
  };
  const r = attempt() ?? (nonblock ? null : waitOn([p.queue], attempt));
  if (r === null) throw err(E.EAGAIN);
  return then(r, act);
}

/** Where a file end reads or writes: at `pos` (regular files, advanced as bytes move) or as a stream (pos null). */
export interface FileEnd { file: OpenFile; pos: number | null; }

/** splice(2) pipe → file: what the pipe holds now (up to len) is written; only what was written leaves the pipe. */
export function spliceFromPipe(p: Pipe, out: FileEnd, len: number, nonblock: boolean): IoResult {
  return whenReadable(p, nonblock, () => {
    const data = new Uint8Array(Math.min(len, p.size));
    p.peek(data);
    const w = out.pos === null ? out.file.write(data) : out.file.pwrite(data, out.pos);
    return then(w, (n) => {
      p.take(new Uint8Array(n));
      p.queue.notify();
      if (out.pos !== null) out.pos += n;
      return n;
    });
  });
}

/** splice(2) file → pipe: once the pipe has room, read up to that much from the file into it (0 at EOF). */
export function spliceToPipe(src: FileEnd, p: Pipe, len: number, nonblock: boolean): IoResult {
  return whenWritable(p, nonblock, (room) => {
    const buf = new Uint8Array(Math.min(len, room, CHUNK));
    const r = src.pos === null ? src.file.read(buf) : src.file.pread(buf, src.pos);
    return then(r, (n) => {
      if (n > 0) { p.put(buf.subarray(0, n)); p.queue.notify(); }
      if (src.pos !== null) src.pos += n;
      return n;
    });
  });
}

/**
 * splice(2) pipe → pipe (splice_pipe_to_pipe), and tee(2) when `keep`: move (or copy, leaving the source
 * intact) as much as the source holds and the destination has room for, up to len.
 */
export function pipeToPipe(src: Pipe, dst: Pipe, len: number, nonblock: boolean, keep: boolean): IoResult {
  if (src === dst) throw err(E.EINVAL);
  const attempt = (): number | null => {
    if (src.size === 0 && src.writers > 0) return null;
    if (dst.readers === 0) throw err(E.EPIPE);
    if (src.size === 0) return 0;
    if (dst.room === 0) return null;
    const buf = new Uint8Array(Math.min(len, src.size, dst.room));
    if (keep) src.peek(buf); else src.take(buf);
    dst.put(buf);
    src.queue.notify();
    dst.queue.notify();
    return buf.length;
  };
  const r = attempt();
  if (r !== null) return r;
  if (nonblock) throw err(E.EAGAIN);
  return waitOn([src.queue, dst.queue], attempt);
}

/** vmsplice(2) into a pipe: once there is room, as much of the user buffers as fits (not atomic). */
export function vmspliceToPipe(p: Pipe, bufs: Uint8Array[], nonblock: boolean): IoResult {
  return whenWritable(p, nonblock, (room) => {
    let n = 0;
    for (const b of bufs) {
      const k = Math.min(b.length, room - n);
      if (k <= 0) break;
      p.put(b.subarray(0, k));
      n += k;
    }
    p.queue.notify();
    return n;
  });
}

/** vmsplice(2) from a pipe's read end: what the pipe holds, scattered into the user buffers. */
export function vmspliceFromPipe(p: Pipe, bufs: Uint8Array[], nonblock: boolean): IoResult {
  return whenReadable(p, nonblock, () => {
    let n = 0;
    for (const b of bufs) {
      if (p.size === 0) break;
      n += p.take(b);
    }
    p.queue.notify();
    return n;
  });
}
