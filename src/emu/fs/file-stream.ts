// A guest open file as a byte stream for a host program's relay (interop proxy processes). Every read and
// write is attempted non-blocking and waits on the file's poll queue otherwise, so nothing is ever left
// parked inside the file: a relay that is stopped (its host program exited) consumes no more guest bytes.
// The I/O is done as the proxy task (Linux's `current`), so terminal job control applies to it: a
// background proxy reading its terminal gets SIGTTIN and reads again once it is in the foreground.
import { E, LinuxError } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { ERESTARTSYS, current, setCurrent, type WaitQueue } from '../kernel/wait-queue.js';
import { O } from './constants.js';
import type { IoResult, OpenFile } from './file.js';

/** Try again once the file changes: EAGAIN, or a job-control stop (the terminal's ERESTARTSYS). */
const isRetry = (e: unknown): boolean => e instanceof LinuxError && (e.errno === E.EAGAIN || e.errno === ERESTARTSYS);

export class FileStream {
  private closed = false;
  private waiter: (() => void) | null = null;
  /** Writes are applied in order (the cwd warning before the host's own stderr). */
  private writes: Promise<void> = Promise.resolve();

  /** `task`: the proxy the I/O is done for. */
  constructor(readonly file: OpenFile, private readonly task: Task | null = null) { file.ref(); }

  /** Up to buf.length bytes; 0 at end of file or once closed. Rejects with the file's LinuxError. */
  read(buf: Uint8Array): Promise<number> {
    return this.retry(() => this.file.read(buf), 0);
  }

  /** The whole buffer (copied first: the caller may reuse it); rejects with EPIPE and the like. */
  write(data: Uint8Array): Promise<void> {
    const buf = Uint8Array.from(data);
    const step = async (): Promise<void> => {
      for (let done = 0; done < buf.length;) {
        const n = await this.retry(() => this.file.write(buf.subarray(done)), -1);
        if (n < 0) return; // closed meanwhile
        done += n;
      }
    };
    const w = this.writes.then(step);
    this.writes = w.catch(() => {});
    return w;
  }

  /** The host side is done with it: pending waits end (reads give 0), and the reference goes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    this.writes.then(() => this.file.unref());
  }

  /** Run `op` with O_NONBLOCK set for just this call (single-threaded: nobody sees the flag), waiting for
   * the poll queue while it says EAGAIN (or ERESTARTSYS: stopped by job control). Files that never block
   * (regular files) finish at once. */
  private retry(op: () => IoResult, whenClosed: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const attempt = (): void => {
        if (this.closed) { resolve(whenClosed); return; }
        const f = this.file, prev = f.flags, was = current();
        let r: IoResult;
        try {
          f.setStatusFlags(prev | O.NONBLOCK);
          setCurrent(this.task);
          try { r = op(); } finally { f.setStatusFlags(prev); setCurrent(was); }
        } catch (e) {
          if (!isRetry(e)) { reject(e); return; }
          const q: WaitQueue | null = f.pollQueue;
          if (!q) { reject(new LinuxError(E.EIO, 'a file without readiness said EAGAIN')); return; }
          this.waiter = () => { q.remove(this.waiter!); this.waiter = null; attempt(); };
          q.add(this.waiter);
          return;
        }
        if (typeof r === 'number') resolve(r); else r.then(resolve, reject);
      };
      attempt();
    });
  }

  private wake(): void { this.waiter?.(); }
}
