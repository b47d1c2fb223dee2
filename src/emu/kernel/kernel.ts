// The kernel: all state shared by every Linux process of one instance (one JS heap, no locking).
import type { Task } from './task.js';
import type { Vfs } from '../fs/vfs.js';
import { type HostMount, type RootType, createVfs } from '../fs/setup.js';
import { Scheduler } from './scheduler.js';
import { spawnProcess, type SpawnRequest } from './spawn.js';
import type { KProcess } from './process.js';
import { UnixNames } from '../net/unix-names.js';
import { SocketList } from '../net/socket-list.js';
import type { InetSocket } from '../net/inet-socket.js';
import { createInit } from './init.js';
import type { UnixSocket } from '../net/unix-socket.js';
import { E, err } from './errno.js';
import type { HostLauncher } from './host-launcher.js';
import { IpcNamespace } from './ipc/namespace.js';
import { KERN, KernelLog } from './kmsg.js';

/** uname(2) fields; release is a Linux 6.x so glibc and tools take their modern paths. */
export interface UtsName {
  sysname: string; nodename: string; release: string; version: string; machine: string; domainname: string;
}

export interface KernelOptions {
  /** Host directory served (hostfs) as the root filesystem, or the distro directory of a VolFs store. */
  root: string;
  /** 'volfs': `root` is a VolFs distro directory (see fs/volfs); 'hostfs' by default. */
  rootType?: RootType;
  /** Host directories mounted inside (see fs/setup.ts). */
  hostMounts?: HostMount[];
  hostname?: string;
  /** Where diagnostics go (one line each, no trailing newline): unimplemented syscalls, strace. */
  log?: (line: string) => void;
  strace?: boolean;
  /** Per-syscall and per-thread counters and timing for `pbash status` (default on; off only to measure their cost). */
  telemetry?: boolean;
  /** Starts host programs exec'd from host drives (src/interop/host-launcher.ts); absent or null: interop is
   * off and such an execve fails with ENOEXEC. */
  interop?: HostLauncher | null;
  /** Live tasks (threads included) the kernel holds at most; fork and clone beyond it fail with EAGAIN. Default 4096. */
  maxTasks?: number;
}

/** pid_max as a booted kernel without a sysctl sets it (PID_MAX_DEFAULT): ps sizes its pid columns from it. */
export const PID_MAX = 32768;
/** Where pid numbers start again once they reach pid_max (kernel/pid.c alloc_pid). */
const RESERVED_PIDS = 300;
/** The largest pid_max (PID_MAX_LIMIT on 64-bit: 4 Mi). */
export const PID_MAX_LIMIT = 4 * 1024 * 1024;

export class Kernel {
  readonly vfs: Vfs;
  readonly tasks = new Map<number, Task>();
  readonly scheduler = new Scheduler();
  readonly uts: UtsName;
  readonly strace: boolean;
  readonly telemetry: boolean;
  /** The instance-wide task limit (threads-max of a small system): a fork bomb meets EAGAIN, not the host. */
  readonly maxTasks: number;
  /** Bound AF_UNIX sockets: the abstract namespace and filesystem names (net/unix-names.ts). */
  readonly unixNames = new UnixNames<UnixSocket>();
  /** Every AF_UNIX socket (connections not yet accepted included) and every inet socket, for /proc/net. */
  readonly unixSockets = new SocketList<UnixSocket>((s) => s.dead);
  readonly inetSockets = new SocketList<InetSocket>();
  /** System V IPC objects and POSIX message queues: they outlive processes, not the instance (kernel/ipc). */
  readonly ipc = new IpcNamespace();
  /** Wall-clock ms and monotonic ns at boot: /proc/uptime, sysinfo, CLOCK_BOOTTIME. */
  readonly bootTimeMs = Date.now();
  readonly bootHr = process.hrtime.bigint();
  /** kernel.pid_max: pids are allocated below it (root may change it through /proc/sys/kernel/pid_max). */
  pidMax = PID_MAX;
  /** pid 1 is the instance's init (kernel/init.ts); sessions' processes start at 2. */
  private nextPid = 2;
  /** The last pid handed out, and how many were; once pids wrapped, allocation skips those still in use. */
  private lastIssued = 1;
  private issued = 0;
  private wrapped = false;
  readonly init: KProcess;
  /** Pids above nextPid taken by clone3's set_tid. */
  private readonly claimed = new Set<number>();
  /** The host program launcher; null while interop is off (it may be switched at run time, as WSL's binfmt entry). */
  interop: HostLauncher | null;
  /** CPU time all tasks have run, ns (/proc/stat's cpu line, /proc/uptime's idle time). */
  busyNs = 0;
  /** The kernel log (dmesg): boot lines and diagnostics. */
  readonly kmsg = new KernelLog(this.bootHr);
  /** kernel.dmesg_restrict: reading the log needs CAP_SYSLOG (Debian's default, 1). */
  dmesgRestrict = true;
  private readonly logLine: (line: string) => void;

  constructor(opts: KernelOptions) {
    this.strace = opts.strace ?? false;
    this.telemetry = opts.telemetry ?? true;
    this.interop = opts.interop ?? null;
    this.maxTasks = opts.maxTasks ?? 4096;
    this.logLine = opts.log ?? ((l) => process.stderr.write(`${l}\n`));
    this.uts = {
      sysname: 'Linux', nodename: opts.hostname ?? 'pbash', release: '6.1.0-pbash',
      version: '#1 SMP PREEMPT_DYNAMIC pbash', machine: 'x86_64', domainname: '(none)',
    };
    this.kmsg.printk(KERN.INFO, `Linux version ${this.uts.release} (pbash) ${this.uts.version}`);
    this.vfs = createVfs(this, { root: opts.root, rootType: opts.rootType, hostMounts: opts.hostMounts });
    this.init = createInit(this);
    this.kmsg.printk(KERN.INFO, `pbash: root filesystem ${opts.rootType ?? 'hostfs'}, ${opts.hostMounts?.length ?? 0} host mounts`);
  }

  /** A diagnostic line (strace included); pbash's own diagnostics ("pbash: ...") also go to the kernel log. */
  log(line: string): void {
    if (line.startsWith('pbash: ')) this.kmsg.printk(KERN.WARNING, line);
    this.logLine(line);
  }

  /** sethostname(2), setdomainname(2), /proc/sys/kernel/{hostname,domainname}: at most 64 bytes (__NEW_UTS_LEN). */
  setUtsName(field: 'nodename' | 'domainname', value: string): void {
    if (Buffer.byteLength(value, 'latin1') > 64) throw err(E.EINVAL);
    this.uts[field] = value;
  }

  /** The next free pid, cyclically below pid_max as alloc_pid's idr_alloc_cyclic; EAGAIN when all are taken. */
  allocPid(): number {
    for (let tries = 0; tries < this.pidMax; tries++) {
      if (this.nextPid >= this.pidMax) { this.nextPid = RESERVED_PIDS; this.wrapped = true; }
      const pid = this.nextPid++;
      if (this.claimed.delete(pid) || (this.wrapped && this.pidInUse(pid))) continue;
      this.issued++;
      return (this.lastIssued = pid);
    }
    throw err(E.EAGAIN);
  }

  /**
   * clone3's set_tid (alloc_pid): exactly this pid, for a caller with CAP_CHECKPOINT_RESTORE (`privileged`);
   * EEXIST while a task, a zombie or a process group or session still holds it; allocPid skips it later.
   */
  claimPid(pid: number, privileged: boolean): number {
    if (pid < 1 || pid >= this.pidMax) throw err(E.EINVAL);
    if (!privileged) throw err(E.EPERM);
    if (pid === 1 || this.pidInUse(pid)) throw err(E.EEXIST);
    if (pid >= this.nextPid) this.claimed.add(pid);
    this.issued++;
    return pid;
  }

  /** pid_max write (pid_table's proc_dointvec_minmax): RESERVED_PIDS + 1 .. PID_MAX_LIMIT, else EINVAL. */
  setPidMax(v: number): void {
    if (!Number.isInteger(v) || v <= RESERVED_PIDS || v > PID_MAX_LIMIT) throw err(E.EINVAL);
    this.pidMax = v;
  }

  private pidInUse(pid: number): boolean {
    for (const t of this.tasks.values()) {
      const p = t.process as KProcess;
      if (t.tid === pid || p.pgid === pid || p.sid === pid) return true;
      for (const c of p.children) if (c.pid === pid) return true;
    }
    return false;
  }

  /** The last pid handed out (/proc/loadavg), and how many were (forks and threads since boot: /proc/stat processes). */
  get lastPid(): number { return this.lastIssued; }
  get forks(): number { return this.issued; }

  /** Start a process for a client (a session's first process): see SpawnRequest. */
  spawn(req: SpawnRequest): KProcess { return spawnProcess(this, this.scheduler, req); }
}
