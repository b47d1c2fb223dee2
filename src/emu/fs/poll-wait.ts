// The waiting half of poll(2)/select(2) (fs/select.c do_poll/do_select): scan every file's readiness,
// and if nothing is ready park on all their wait queues until something is, the timeout passes, or a signal.
import { LinuxError } from '../kernel/errno.js';
import { waitOn, type WaitQueue } from '../kernel/wait-queue.js';
import { POLL, type OpenFile } from './file.js';

/** One polled file: what the caller asks for (already demangled) and what it gets back. */
export interface PollEntry {
  /** null: a bad fd (POLLNVAL for poll); entries with a negative fd are left out by the caller. */
  file: OpenFile | null;
  /** The events that count for this entry; POLLERR|POLLHUP|POLLNVAL always count (poll), select filters itself. */
  events: number;
  revents: number;
}

/** Readiness of one entry now (vfs_poll + the caller's filter). */
export function scanOne(e: PollEntry): number {
  e.revents = e.file === null ? POLL.NVAL : e.file.pollMask(e.events) & e.events;
  return e.revents;
}

/** Scan all entries; the number with some revents. */
export function scanAll(entries: PollEntry[]): number {
  let n = 0;
  for (const e of entries) if (scanOne(e)) n++;
  return n;
}

export interface PollWaitOptions {
  /** null: wait forever; 0: just scan. */
  timeoutNs: bigint | null;
  /** The errno a signal ends the wait with (ERESTART_RESTARTBLOCK for poll, ERESTARTNOHAND for the others). */
  interruptErrno: number;
  /** Checked after an empty first scan: a signal already pending ends the call at once (signal_pending()). */
  signalPending?: () => boolean;
}

/** Scan, then wait until some entry is ready: the count of ready entries (0 on timeout). */
export function pollWait(entries: PollEntry[], o: PollWaitOptions): number | Promise<number> {
  const now = scanAll(entries);
  if (now > 0 || o.timeoutNs === 0n) return now;
  // as a settled wait: the scheduler turns ERESTART* codes into a restart or EINTR only for calls that parked
  if (o.signalPending?.()) return Promise.reject(new LinuxError(o.interruptErrno));
  const queues = new Set<WaitQueue>();
  for (const e of entries) { const q = e.file?.pollQueue; if (q) queues.add(q); }
  const attempt = (): number | null => { const n = scanAll(entries); return n > 0 ? n : null; };
  const timeoutMs = o.timeoutNs === null ? undefined : Math.ceil(Number(o.timeoutNs) / 1e6);
  return waitOn([...queues], attempt, { timeoutMs, onTimeout: () => scanAll(entries), interruptErrno: o.interruptErrno }); // a last scan at the timeout, as do_poll
}
