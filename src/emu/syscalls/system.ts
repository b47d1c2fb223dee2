// System information and limits: uname(2), sethostname(2), sysinfo(2), getrandom(2), prlimit(2).
import { CAP, capable } from '../kernel/capability.js';
import { randomFillSync } from 'node:crypto';
import { loadavg } from 'node:os';
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { NR_OPEN, RLIMIT, RLIM_NLIMITS, type RLimit } from '../kernel/rlimits.js';
import { monotonicNs } from '../kernel/clock.js';
import { mayPrlimit, taskById } from '../kernel/task-lookup.js';
import { memInfo } from '../kernel/meminfo.js';
import { enosys, sys, type SyscallDef } from './types.js';
import { NS_PER_SEC, putString, struct } from './abi.js';
import { unameFor } from './personality.js';

const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

function setLimit(t: Task, lims: RLimit[], resource: number, addr: number): void {
  const cur = t.mem.readBig(addr), max = t.mem.readBig(addr + 8);
  if (cur > max) throw err(E.EINVAL);
  if (max > lims[resource].max && !capable(t.creds, CAP.SYS_RESOURCE)) throw err(E.EPERM);
  if (resource === RLIMIT.NOFILE && max > BigInt(NR_OPEN)) throw err(E.EPERM); // do_prlimit: above fs.nr_open
  lims[resource] = { cur, max };
}

function writeLimit(t: Task, addr: number, l: RLimit): void {
  const s = struct(16);
  s.dv.setBigUint64(0, l.cur, true);
  s.dv.setBigUint64(8, l.max, true);
  t.mem.write(addr, s.u8);
}

function prlimit(t: Task, pid: number, resource: number, newp: number, oldp: number): number {
  if (resource < 0 || resource >= RLIM_NLIMITS) throw err(E.EINVAL);
  const target = taskById(t, pid);
  if (!mayPrlimit(t, target)) throw err(E.EPERM);
  const p = target.process;
  const old = p.rlimits[resource];
  if (newp) {
    setLimit(t, p.rlimits, resource, newp);
    if (resource === RLIMIT.CPU) p.timers.rlimitCpu();
    // the fd tables of its threads: new fds, dup2 and F_DUPFD stay below the soft limit
    if (resource === RLIMIT.NOFILE) for (const th of p.threads) th.files.limit = Number(p.rlimits[resource].cur);
  }
  if (oldp) writeLimit(t, oldp, old);
  return 0;
}

/** The name is len bytes, not NUL-terminated; EINVAL past 64, EPERM without CAP_SYS_ADMIN. */
function setUts(t: Task, field: 'nodename' | 'domainname', name: number, len: number): number {
  if (!capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM);
  if (len < 0 || len > 64) throw err(E.EINVAL);
  t.kernel.setUtsName(field, Buffer.from(t.mem.read(name, len)).toString('latin1'));
  return 0;
}

export const systemSyscalls: SyscallDef[] = [
  // uname(2): six 65-byte fields
  sys(63, 'uname', ['ptr'], (t, buf) => {
    const s = struct(65 * 6);
    const u = { ...t.kernel.uts, ...unameFor(t) }; // the personality may change machine and release
    [u.sysname, u.nodename, u.release, u.version, u.machine, u.domainname].forEach((v, i) => putString(s.u8, 65 * i, 65, v));
    t.mem.write(buf, s.u8);
    return 0;
  }),
  // sethostname(2), setdomainname(2): root only
  sys(170, 'sethostname', ['ptr', 'int'], (t, name, len) => setUts(t, 'nodename', name, len)),
  sys(171, 'setdomainname', ['ptr', 'int'], (t, name, len) => setUts(t, 'domainname', name, len)),
  // sysinfo(2): uptime of the instance, memory as /proc/meminfo reports it, the host's load
  sys(99, 'sysinfo', ['ptr'], (t, info) => {
    const s = struct(112);
    const mem = memInfo(t.kernel);
    s.dv.setBigInt64(0, (monotonicNs() - t.kernel.bootHr) / NS_PER_SEC, true);
    loadavg().forEach((l, i) => s.dv.setBigUint64(8 + 8 * i, BigInt(Math.round(l * 65536)), true));
    s.dv.setBigUint64(32, BigInt(mem.total), true);
    s.dv.setBigUint64(40, BigInt(mem.free), true);
    s.dv.setBigUint64(48, BigInt(mem.shmem), true);
    s.dv.setUint16(80, t.kernel.tasks.size, true);
    s.dv.setUint32(104, 1, true);
    t.mem.write(info, s.u8);
    return 0;
  }),
  // getrandom(2): the pool is always initialized, so no flag ever blocks
  sys(318, 'getrandom', ['ptr', 'size', 'flags'], (t, buf, len, flags) => {
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) || (flags & GRND_RANDOM && flags & GRND_INSECURE)) throw err(E.EINVAL);
    const n = Math.min(len, 33554431);
    for (const v of t.mem.slices(buf, n, true)) randomFillSync(v);
    return n;
  }),
  sys(302, 'prlimit64', ['int', 'int', 'ptr', 'ptr'], prlimit),
  sys(97, 'getrlimit', ['int', 'ptr'], (t, res, old) => prlimit(t, 0, res, 0, old)),
  sys(160, 'setrlimit', ['int', 'ptr'], (t, res, lim) => prlimit(t, 0, res, lim, 0)),
  // rseq(2): answered as by a kernel built without CONFIG_RSEQ; glibc falls back cleanly
  enosys(334, 'rseq', 'restartable sequences are not provided (glibc copes)', true),
];
