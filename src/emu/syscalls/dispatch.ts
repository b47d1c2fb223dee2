// The one dispatch point: decodes arguments, calls the handler, converts errors to -errno, counts, traces,
// and reports the first hit of each unimplemented syscall. Every syscall of every task passes through here.
import { E, LinuxError, errnoName } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import type { SyscallDef, SyscallResult } from './types.js';
import { SYSCALL_TABLE } from './table.js';
import { MAX_SYSCALL } from './names.js';
import { formatCall } from './trace.js';
import { postSignal } from '../kernel/signal-deliver.js';
import type { KTask } from '../kernel/thread.js';
import { setCurrent } from '../kernel/wait-queue.js';
import { SIG } from '../kernel/signals.js';
import { seccompEnter } from '../kernel/seccomp.js';
import { tracedSyscall } from '../kernel/ptrace-syscall.js';

const TWO32 = 4294967296;

/** Per-syscall counters (indexed by number), on unless a kernel is made without telemetry: typed-array increments. */
export const syscallCalls = new Float64Array(MAX_SYSCALL + 1);
export const syscallErrors = new Float64Array(MAX_SYSCALL + 1);
/** Milliseconds spent in each syscall's handler until it returned or parked (a blocked call's wait is not
 * counted), estimated from sampled calls: reading the clock twice costs more than a getpid. */
export const syscallMs = new Float64Array(MAX_SYSCALL + 1);
/** Which syscalls are timed on every call (1): those whose calls cost more than FAST_MS; the others (0) are
 * sampled: one call after a random gap averaging MEAN_GAP calls of any fast syscall is timed and counts
 * MEAN_GAP times over. Random gaps: a repeating pattern of calls (read, write, read...) cannot alias with a
 * fixed period and charge one syscall for another's time. */
const timedAlways = new Uint8Array(MAX_SYSCALL + 1).fill(1);
const FAST_MS = 0.005;
const GAP_SPREAD = 512;
const MEAN_GAP = GAP_SPREAD / 2 + (GAP_SPREAD - 1) / 2;
/** Calls to the next sample (a small integer: no heap number per call) and the xorshift32 state of the
 * gaps (in a typed array: a full 32-bit value in a variable would be boxed). */
let gap = GAP_SPREAD;
const rand = Int32Array.of(0x9e3779b9 | 0);
function nextGap(): number {
  let x = rand[0];
  x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
  rand[0] = x;
  return GAP_SPREAD / 2 + (x & (GAP_SPREAD - 1));
}
/** Unimplemented syscalls hit (number, -1 beyond the table): how often, and by which process last. */
export const unimplementedHits = new Map<number, { count: number; lastPid: number }>();
const reported = new Set<number>();

/** What dispatch hands back to the scheduler. */
export type Outcome = number | Promise<number>;

/**
 * Run syscall `nr` with raw argument words `w` (2 u32 per argument: lo, hi, starting at index 2).
 * Returns the value for RAX, or a Promise of it when the handler blocks.
 */
export function dispatch(t: Task, w: Uint32Array): Outcome {
  const tracee = (t as KTask).ptrace;
  return tracee ? tracedSyscall(t as KTask, tracee, w, run) : run(t, w);
}

function run(t: Task, w: Uint32Array): Outcome {
  // seccomp filters see every syscall first (after a tracer's syscall-enter-stop), whatever its number (__secure_computing)
  const sc = (t as KTask).seccomp;
  if (sc !== null) { const r = seccompEnter(t as KTask, sc, w); if (r !== undefined) return r; }
  const nr = w[1] === 0 ? w[0] : -1;
  const def = nr >= 0 && nr < SYSCALL_TABLE.length ? SYSCALL_TABLE[nr] : undefined;
  if (!def || !def.handler) return unimplemented(t, nr, def);
  let every = 0; // > 0: this call is timed and stands for `every` calls
  if (t.kernel.telemetry) {
    syscallCalls[nr]++;
    (t as KTask).syscalls++;
    if (timedAlways[nr]) every = 1;
    else if (--gap === 0) { gap = nextGap(); every = MEAN_GAP; }
  }
  const k = def.args;
  const a0 = k.length > 0 ? decode(k[0], w[2], w[3]) : 0;
  const a1 = k.length > 1 ? decode(k[1], w[4], w[5]) : 0;
  const a2 = k.length > 2 ? decode(k[2], w[6], w[7]) : 0;
  const a3 = k.length > 3 ? decode(k[3], w[8], w[9]) : 0;
  const a4 = k.length > 4 ? decode(k[4], w[10], w[11]) : 0;
  const a5 = k.length > 5 ? decode(k[5], w[12], w[13]) : 0;
  const strace = t.kernel.strace;
  const pre = strace ? formatCall(t, def, [a0, a1, a2, a3, a4, a5]) : '';
  let r: SyscallResult;
  setCurrent(t);
  const t0 = every ? performance.now() : 0;
  try {
    r = def.handler(t, a0, a1, a2, a3, a4, a5);
  } catch (e) {
    return finish(t, def, pre, toErrno(t, def, e));
  } finally {
    setCurrent(null);
    if (every) {
      const ms = performance.now() - t0;
      syscallMs[nr] += ms * every;
      timedAlways[nr] = ms < FAST_MS ? 0 : 1;
    }
  }
  if (typeof r === 'number') return strace || r < 0 ? finish(t, def, pre, r) : r;
  if (typeof r === 'bigint') return finish(t, def, pre, Number(BigInt.asIntN(64, r)));
  return r.then(
    (v) => finish(t, def, pre, typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : v),
    (e) => finish(t, def, pre, toErrno(t, def, e)),
  );
}

function decode(kind: string, lo: number, hi: number): number {
  switch (kind) {
    case 'int': case 'fd': return lo | 0;
    case 'uint': case 'flags': case 'mode': return lo;
    case 'off': return lo + (hi | 0) * TWO32;
    default: return lo + hi * TWO32;
  }
}

function finish(t: Task, def: SyscallDef, pre: string, r: number): number {
  const quiet = (t as KTask).noSigpipe;
  (t as KTask).noSigpipe = false;
  if (r < 0) {
    if (t.kernel.telemetry) syscallErrors[def.nr]++;
    // writing to a pipe or socket nobody reads raises SIGPIPE as well (fs/pipe.c pipe_write)
    // (not rt_sigreturn (15), whose value is the RAX a SIGPIPE handler interrupted: that would raise it again)
    if (r === -E.EPIPE && !quiet && def.nr !== 15) postSignal(t as KTask, SIG.SIGPIPE, { code: 0, pid: t.process.pid, uid: t.creds.uid });
  }
  if (t.kernel.strace) {
    const shown = r < 0 && r > -4096 ? `-1 ${errnoName(-r)}` : r > 0xffff ? `0x${r.toString(16)}` : String(r);
    t.kernel.log(`${pre} = ${shown}`);
  }
  return r;
}

function toErrno(t: Task, def: SyscallDef, e: unknown): number {
  if (e instanceof LinuxError) return -e.errno;
  // A bug in our kernel, not the guest's fault: say so once per call site, keep the guest and daemon alive.
  t.kernel.log(`pbash: internal error in ${def.name}: ${(e as Error)?.stack ?? e}`);
  return -E.EIO;
}

function unimplemented(t: Task, nr: number, def: SyscallDef | undefined): number {
  if (t.kernel.telemetry) {
    if (nr >= 0 && nr < syscallCalls.length) { syscallCalls[nr]++; syscallErrors[nr]++; }
    (t as KTask).syscalls++;
    // numbers past the table share one entry, so a guest cannot grow the map without bound
    const slot = nr < 0 || nr >= syscallCalls.length ? -1 : nr;
    const hit = unimplementedHits.get(slot);
    if (hit) { hit.count++; hit.lastPid = t.process.pid; } else unimplementedHits.set(slot, { count: 1, lastPid: t.process.pid });
  }
  const key = nr < 0 ? -1 : nr;
  if (!reported.has(key) && !(def?.status === 'enosys' && def.quiet)) {
    reported.add(key);
    const what = def ? `${def.name} (${nr})` : `number ${t.cpu.get('rax')}`;
    t.kernel.log(`pbash: unimplemented syscall ${what}${def?.note ? `: ${def.note}` : ''} -> ENOSYS`);
  }
  if (t.kernel.strace) t.kernel.log(`[${t.tid}] ${def?.name ?? `syscall_${nr}`}(...) = -1 ENOSYS`);
  return -E.ENOSYS;
}
