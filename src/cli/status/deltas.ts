// What changed between two snapshots: syscalls made during the last interval (the snapshot's counters are
// totals since the instance started) and the daemon's own %CPU. Pure.
import type { Snapshot, SyscallInfo } from '../../interop/protocol/status.js';

export interface SyscallDelta { nr: number; name: string; calls: number; errors: number; ms: number; }

export interface SyscallWindow {
  /** The interval the counts cover; null: since the instance started (no earlier snapshot yet). */
  intervalMs: number | null;
  byCount: SyscallDelta[];
  byTime: SyscallDelta[];
}

/** Calls, errors and time of each syscall during the interval; those not called in it are left out. */
export function syscallWindow(cur: Snapshot | null, prev: Snapshot | null, top: number): SyscallWindow {
  if (!cur) return { intervalMs: null, byCount: [], byTime: [] };
  // a new instance since the previous snapshot starts its counters from zero
  const base = prev && prev.daemon.pid === cur.daemon.pid ? prev : null;
  const before = new Map<number, SyscallInfo>(base?.syscalls.map((c) => [c.nr, c]));
  const deltas: SyscallDelta[] = [];
  for (const c of cur.syscalls) {
    const b = before.get(c.nr);
    const d = { nr: c.nr, name: c.name, calls: c.calls - (b?.calls ?? 0), errors: c.errors - (b?.errors ?? 0), ms: c.ms - (b?.ms ?? 0) };
    if (d.calls > 0) deltas.push(d);
  }
  const byCount = [...deltas].sort((a, b) => b.calls - a.calls || a.nr - b.nr).slice(0, top);
  const byTime = deltas.filter((d) => d.ms > 0).sort((a, b) => b.ms - a.ms || a.nr - b.nr).slice(0, top);
  return { intervalMs: base ? cur.at - base.at : null, byCount, byTime };
}

/** The daemon's CPU use over the interval (user + system, host), or over its life for the first snapshot. */
export function daemonCpuPct(cur: Snapshot, prev: Snapshot | null): number {
  const d = cur.daemon;
  const same = prev && prev.daemon.pid === d.pid && cur.at > prev.at;
  const cpu = same ? d.cpuMs - prev.daemon.cpuMs : d.cpuMs;
  const wall = same ? cur.at - prev.at : d.uptimeMs;
  return wall > 0 ? Math.max(0, (cpu / wall) * 100) : 0;
}
