// A set of pending signals with their siginfo queues (struct sigpending): each thread has one for the signals
// sent to it, its process one shared by all threads (shared_pending). A standard signal is pending at most
// once; realtime signals (32..64) queue every instance, in order (signal(7), "Real-time signals").
import type { SigInfo } from './signal-deliver.js';

export const SIGRTMIN_KERNEL = 32;
/** What a signal pending without a queued siginfo reads as (kernel/signal.c collect_signal: SI_USER, zeroed). */
const NO_INFO: SigInfo = { code: 0, pid: 0, uid: 0 };

export const sigbit = (sig: number): bigint => 1n << BigInt(sig - 1);

export class SigPending {
  bits = 0n;
  private readonly queues = new Map<number, SigInfo[]>();

  /** Queued siginfos (what RLIMIT_SIGPENDING counts). */
  get count(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.length;
    return n;
  }

  has(sig: number): boolean { return (this.bits & sigbit(sig)) !== 0n; }

  /** `info` is still waiting in the queue (a POSIX timer's signal not yet taken). */
  holds(sig: number, info: SigInfo): boolean { return this.queues.get(sig)?.includes(info) ?? false; }

  /** The siginfo take(sig) would return next (undefined: none queued). */
  peek(sig: number): SigInfo | undefined { return this.queues.get(sig)?.[0]; }

  /** Make `sig` pending; null queues nothing (no room: the signal is pending, its siginfo lost). */
  add(sig: number, info: SigInfo | null): void {
    this.bits |= sigbit(sig);
    if (!info) return;
    const q = this.queues.get(sig);
    if (q) q.push(info); else this.queues.set(sig, [info]);
  }

  /** Take one instance of `sig`: the first queued siginfo; the signal stays pending while more are queued. */
  take(sig: number): SigInfo {
    const q = this.queues.get(sig);
    const info = q?.shift() ?? NO_INFO;
    if (!q?.length) { this.queues.delete(sig); this.bits &= ~sigbit(sig); }
    return info;
  }

  /** Forget every pending signal of `mask` (a stop flushes SIGCONT and the reverse). */
  flush(mask: bigint): void {
    this.bits &= ~mask;
    for (const sig of this.queues.keys()) if (mask & sigbit(sig)) this.queues.delete(sig);
  }
}
