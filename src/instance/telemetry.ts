// The telemetry behind `pbash status`: one snapshot of the instance read from kernel state when asked
// (processes and threads as /proc shows them, the dispatch point's syscall counters, sessions, mounts).
// Nothing here runs between snapshots; the always-on part is the counters in syscalls/dispatch.ts.
import type { Kernel } from '../emu/kernel/kernel.js';
import type { KProcess } from '../emu/kernel/process.js';
import { cpuNs, leaderOf, memSizes, processes, stateOf, threadsOf, ttyOf } from '../emu/fs/procfs/tasks.js';
import { syscallCalls, syscallErrors, syscallMs, unimplementedHits } from '../emu/syscalls/dispatch.js';
import { SYSCALL_NAMES } from '../emu/syscalls/names.js';
import type { DistroEntry } from './distros.js';
import { STATUS_SCHEMA, type DaemonInfo, type DistroInfo, type ProcessInfo, type SessionInfo, type Snapshot, type SyscallInfo, type UnimplementedInfo } from '../interop/protocol/status.js';

/** The kernel keeps argv as byte strings (one char per byte); show them as the UTF-8 they usually are. */
const text = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');
const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;

function processInfo(kernel: Kernel, p: KProcess): ProcessInfo {
  const lead = leaderOf(p);
  const cpu = cpuNs(p);
  const live = !p.zombie;
  const m = live ? memSizes(p) : null;
  let syscalls = 0;
  const threads = threadsOf(p).map((t) => {
    syscalls += t.syscalls;
    return { tid: t.tid, state: stateOf(p, t)[0], cpuMs: ms(t.userNs + t.stimeNs), syscalls: t.syscalls };
  });
  return {
    pid: p.pid, ppid: p.ppid, pgid: p.pgid, sid: p.sid, uid: lead?.creds.uid ?? 0, state: stateOf(p, lead)[0],
    comm: text(p.comm), cmdline: p.argv.map(text), cpuMs: ms(cpu.utime + cpu.stime),
    rssBytes: m?.rss ?? 0, vmBytes: m?.size ?? 0, fds: lead ? lead.files.entries().length : 0,
    tty: live ? ttyOf(kernel, p).name : null, startedAt: Math.round(kernel.bootTimeMs + Number(p.startNs) / 1e6),
    syscalls, threads, ...(p.hostProxy ? { hostPid: p.hostProxy.hostPid } : {}),
  };
}

function distroInfo(d: DistroEntry & { kernel: Kernel }): DistroInfo {
  const k = d.kernel;
  return {
    name: d.name, root: d.root, kind: d.kind, bootedAt: k.bootTimeMs,
    // the distro's own processes: not pid 1, the instance's init (always there, never running anything)
    processes: [...processes(k).values()].filter((p) => p !== k.init).map((p) => processInfo(k, p)),
    mounts: k.vfs.mounts.all().map((m) => ({ path: m.path, type: m.fs.type, source: m.source })),
  };
}

const nameOf = (nr: number): string => (nr < 0 ? 'out of range' : SYSCALL_NAMES.get(nr) ?? `syscall_${nr}`);

/** Every syscall called at least once since the daemon started, by number. */
export function syscallTable(): SyscallInfo[] {
  const out: SyscallInfo[] = [];
  for (let nr = 0; nr < syscallCalls.length; nr++) {
    if (syscallCalls[nr]) out.push({ nr, name: nameOf(nr), calls: syscallCalls[nr], errors: syscallErrors[nr], ms: Math.round(syscallMs[nr] * 1e3) / 1e3 });
  }
  return out;
}

export function unimplementedTable(): UnimplementedInfo[] {
  return [...unimplementedHits].sort((a, b) => b[1].count - a[1].count)
    .map(([nr, h]) => ({ nr, name: nameOf(nr), count: h.count, lastPid: h.lastPid }));
}

export interface SnapshotSource {
  daemon: Omit<DaemonInfo, 'uptimeMs' | 'rssBytes' | 'cpuMs'>;
  sessions: SessionInfo[];
  distros: Array<DistroEntry & { kernel: Kernel }>;
}

export function snapshot(src: SnapshotSource): Snapshot {
  const now = Date.now();
  const cpu = process.cpuUsage();
  return {
    schema: STATUS_SCHEMA, running: true, at: now,
    daemon: { ...src.daemon, uptimeMs: now - src.daemon.startedAt, rssBytes: process.memoryUsage.rss(), cpuMs: Math.round((cpu.user + cpu.system) / 1e3) },
    sessions: src.sessions,
    distros: src.distros.map(distroInfo),
    syscalls: syscallTable(),
    unimplemented: unimplementedTable(),
  };
}
