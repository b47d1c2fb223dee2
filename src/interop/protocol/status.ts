// The snapshot `pbash status` receives: the versioned schema documented in docs/status-json.md (change both
// together; a field's meaning never changes within a schema number). Types only and the number, so the
// client can name them without loading the kernel.
export const STATUS_SCHEMA = 1;

export interface ThreadInfo { tid: number; state: string; cpuMs: number; syscalls: number; }
export interface ProcessInfo {
  pid: number; ppid: number; pgid: number; sid: number; uid: number; state: string; comm: string; cmdline: string[];
  cpuMs: number; rssBytes: number; vmBytes: number; fds: number; tty: string | null; startedAt: number;
  syscalls: number; threads: ThreadInfo[];
  /** A proxy of a host program (interop): that program's host pid. Absent for Linux processes. */
  hostPid?: number;
}
export interface MountInfo { path: string; type: string; source: string; }
export interface DistroInfo { name: string; root: string; kind: string; bootedAt: number; processes: ProcessInfo[]; mounts: MountInfo[]; }
export interface SyscallInfo { nr: number; name: string; calls: number; errors: number; ms: number; }
export interface UnimplementedInfo { nr: number; name: string; count: number; lastPid: number; }
export interface SessionInfo { id: number; distro: string; pid: number | null; clientPid: number | null; argv: string[]; terminal: boolean; since: number; }
export interface DaemonInfo { pid: number; version: string; startedAt: number; uptimeMs: number; rssBytes: number; cpuMs: number; idleMs: number; clients: number; }

/** One snapshot; `{ schema, running: false }` is the whole answer when no instance runs. */
export interface Snapshot {
  schema: number; running: true; at: number; daemon: DaemonInfo; sessions: SessionInfo[];
  distros: DistroInfo[]; syscalls: SyscallInfo[]; unimplemented: UnimplementedInfo[];
}

/** The JSON answer when no instance runs. */
export const STOPPED = { schema: STATUS_SCHEMA, running: false } as const;

