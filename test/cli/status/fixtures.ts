// Snapshots for the dashboard's tests, in the schema the daemon sends (docs/status-json.md): a daemon,
// processes, syscall counters; each test overrides what it is about.
import type { DistroInfo, ProcessInfo, SessionInfo, Snapshot } from '../../../src/interop/protocol/status.js';

export const T0 = 1_800_000_000_000;

export function proc(pid: number, ppid: number, cmdline: string[], o: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid, ppid, pgid: ppid > 1 ? ppid : pid, sid: 1, uid: 0, state: 'S', comm: (cmdline[0] ?? '').split('/').pop()!.slice(0, 15), cmdline,
    cpuMs: 0, rssBytes: 2 << 20, vmBytes: 8 << 20, fds: 3, tty: null, startedAt: T0 - 10_000, syscalls: 10,
    threads: [{ tid: pid, state: 'S', cpuMs: 0, syscalls: 10 }], ...o,
  };
}

export function distro(processes: ProcessInfo[], name = 'bookworm'): DistroInfo {
  return { name, root: `/var/lib/pbash/${name}`, kind: 'volfs', bootedAt: T0 - 60_000, processes, mounts: [] };
}

export function session(id: number, pid: number, argv: string[], o: Partial<SessionInfo> = {}): SessionInfo {
  return { id, distro: 'bookworm', pid, clientPid: 40_000 + id, argv, terminal: false, since: T0 - 5000, ...o };
}

export function snap(o: Partial<Snapshot> = {}): Snapshot {
  return {
    schema: 1, running: true, at: T0,
    daemon: { pid: 4242, version: '0.1.0', startedAt: T0 - 65_000, uptimeMs: 65_000, rssBytes: 80 << 20, cpuMs: 1300, idleMs: 10_000, clients: 2 },
    sessions: [], distros: [], syscalls: [], unimplemented: [], ...o,
  };
}

/** A shell (pid 2) with 19 descendants: 20 processes, some two levels down. */
export function busyTree(): ProcessInfo[] {
  const ps = [proc(2, 1, ['/bin/sh', '-c', 'make -j4'])];
  for (let i = 0; i < 6; i++) {
    const w = 3 + i * 3;
    ps.push(proc(w, 2, ['make', `worker${i}`]));
    ps.push(proc(w + 1, w, ['cc', `-c`, `file${i}.c`], { state: 'R' }));
    ps.push(proc(w + 2, w, ['sleep', String(30 + i)]));
  }
  ps.push(proc(21, 2, ['cat']));
  return ps;
}
