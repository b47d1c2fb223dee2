// /proc/<pid>/stat, statm and status (fs/proc/array.c do_task_stat, proc_pid_statm, proc_pid_status):
// the task table's truth in the formats ps, top and pgrep parse.
import type { Kernel } from '../../kernel/kernel.js';
import type { KProcess } from '../../kernel/process.js';
import type { KTask } from '../../kernel/thread.js';
import { RLIMIT } from '../../kernel/rlimits.js';
import { SIG_DFL, SIG_IGN } from '../../kernel/signals.js';
import { queuedSignals } from '../../kernel/signal-deliver.js';
import { PAGE, cpuNs, memSizes, stateOf, ticks, ttyOf } from './tasks.js';
import { ONLINE_CPUS, SCHED, cpuList, isRealtime } from '../../kernel/sched-attr.js';

/** PF_RANDOMIZE, and PF_FORKNOEXEC for a forked process that has not exec'd (include/linux/sched.h). */
const PF_RANDOMIZE = 0x400000, PF_FORKNOEXEC = 0x40;

const sigBits = (p: KProcess, pick: (h: bigint) => boolean): bigint =>
  p.sigactions.reduce((m, a, sig) => (sig > 0 && pick(a.handler) ? m | (1n << BigInt(sig - 1)) : m), 0n);

/** stat's priority: 20 + nice for normal tasks, -1 - rt_priority under SCHED_FIFO/RR (prio - MAX_RT_PRIO). */
// task_prio: -101 for SCHED_DEADLINE, -1 - priority for real-time, 20 + nice otherwise
const prio = (t: KTask | null): number =>
  (!t ? 20 : t.sched.policy === SCHED.DEADLINE ? -101 : isRealtime(t.sched.policy) ? -1 - t.sched.priority : 20 + t.sched.nice);

/** One stat line. `t` is the thread for /proc/<pid>/task/<tid>/stat, or the process's speaking thread. */
export function statLine(kernel: Kernel, p: KProcess, t: KTask | null, whole: boolean): string {
  const [state] = stateOf(p, t);
  const tty = ttyOf(kernel, p);
  const cpu = whole ? cpuNs(p) : { utime: t?.utimeNs ?? 0, stime: t?.stimeNs ?? 0 };
  const m = memSizes(p);
  const vmas = p.zombie ? [] : p.mm.vmas.list;
  const code = vmas.find((v) => v.file && (v.prot & 4) && v.name === p.exe);
  const stack = vmas.find((v) => v.kind === 'stack');
  const rsslim = p.rlimits[RLIMIT.RSS].cur;
  const f: (string | number | bigint)[] = [
    t?.tid ?? p.pid, `(${p.comm})`, state, p.ppid, p.pgid, p.sid, tty.nr, tty.tpgid,
    PF_RANDOMIZE | (p.execed ? 0 : PF_FORKNOEXEC), 0, 0, 0, 0,
    ticks(cpu.utime), ticks(cpu.stime), whole ? ticks(p.childUtimeNs) : 0, whole ? ticks(p.childStimeNs) : 0,
    prio(t), t?.sched.nice ?? 0, p.threads.size, 0, ticks(p.startNs), m.size, m.rss / PAGE, rsslim,
    code?.start ?? 0, code?.end ?? 0, stack?.end ?? 0, 0, 0,
    // obsolete fields (fs/proc/array.c): the first 31 signals only, the thread's own pending ones
    ...[t?.sigPending.bits ?? 0n, t?.sigmask ?? 0n, sigBits(p, (h) => h === SIG_IGN), sigBits(p, (h) => h !== SIG_DFL && h !== SIG_IGN)]
      .map((v) => v & 0x7fffffffn),
    0, 0, 0, p.exitSignal, 0, t?.sched.priority ?? 0, t?.sched.policy ?? 0, 0, 0, 0,
    0, 0, p.zombie ? 0 : p.mm.startBrk, 0, 0, 0, 0, p.exitStatus ?? 0,
  ];
  return `${f.join(' ')}\n`;
}

/** statm: size resident shared text lib data dt, in pages. */
export function statmLine(p: KProcess): string {
  const m = memSizes(p);
  return `${[m.size, m.rss, m.rssFile, m.exe, 0, m.data + m.stack, 0].map((b) => Math.floor(b / PAGE)).join(' ')}\n`;
}

const kb = (bytes: number): string => `${String(Math.floor(bytes / 1024)).padStart(8)} kB`;
const hex16 = (v: bigint): string => v.toString(16).padStart(16, '0');

export function statusText(kernel: Kernel, p: KProcess, t: KTask | null, umask: number | null): string {
  const [state, name] = stateOf(p, t);
  const c = t?.creds;
  const m = memSizes(p);
  const pid = t?.tid ?? p.pid;
  const lib = m.text - m.exe;
  const lines: [string, string | number][] = [
    ['Name', p.comm], ...(umask === null ? [] : [['Umask', umask.toString(8).padStart(4, '0')] as [string, string]]),
    ['State', `${state} (${name})`], ['Tgid', p.pid], ['Ngid', 0], ['Pid', pid], ['PPid', p.ppid],
    ['TracerPid', (t ?? [...p.threads][0])?.ptrace?.tracer.process.pid ?? 0],
    ['Uid', c ? [c.uid, c.euid, c.suid, c.fsuid].join('\t') : '0\t0\t0\t0'],
    ['Gid', c ? [c.gid, c.egid, c.sgid, c.fsgid].join('\t') : '0\t0\t0\t0'],
    ['FDSize', t ? Math.max(64, 2 ** Math.ceil(Math.log2(t.files.entries().reduce((a, [fd]) => Math.max(a, fd + 1), 1)))) : 0],
    ['Groups', c ? `${c.groups.join(' ')} ` : ''],
    ['NStgid', p.pid], ['NSpid', pid], ['NSpgid', p.pgid], ['NSsid', p.sid],
  ];
  if (!p.zombie) {
    const peak = p.mm.peak;
    lines.push(['VmPeak', kb(peak.vm)], ['VmSize', kb(m.size)], ['VmLck', kb(m.locked)], ['VmPin', kb(0)],
      ['VmHWM', kb(peak.rss)], ['VmRSS', kb(m.rss)], ['RssAnon', kb(m.rssAnon)], ['RssFile', kb(m.rssFile)],
      ['RssShmem', kb(0)], ['VmData', kb(m.data)], ['VmStk', kb(m.stack)], ['VmExe', kb(m.exe)], ['VmLib', kb(lib)],
      ['VmPTE', kb(0)], ['VmSwap', kb(0)]);
  }
  lines.push(['HugetlbPages', kb(0)], ['CoreDumping', 0], ['THP_enabled', 1], ['Threads', p.threads.size],
    ['SigQ', `${c ? queuedSignals(kernel, c.uid) : 0}/${p.rlimits[RLIMIT.SIGPENDING].cur}`],
    ['SigPnd', hex16(t?.sigPending.bits ?? 0n)], ['ShdPnd', hex16(p.sharedPending.bits)], ['SigBlk', hex16(t?.sigmask ?? 0n)],
    ['SigIgn', hex16(sigBits(p, (h) => h === SIG_IGN))], ['SigCgt', hex16(sigBits(p, (h) => h !== SIG_DFL && h !== SIG_IGN))],
    ['CapInh', hex16(c?.capInh ?? 0n)], ['CapPrm', hex16(c?.capPrm ?? 0n)], ['CapEff', hex16(c?.capEff ?? 0n)],
    ['CapBnd', hex16(c?.capBnd ?? 0n)], ['CapAmb', hex16(c?.capAmb ?? 0n)],
    ['NoNewPrivs', p.noNewPrivs ? 1 : 0], ['Seccomp', t?.seccomp?.mode ?? 0], ['Seccomp_filters', t?.seccomp?.filter?.count ?? 0],
    ['Speculation_Store_Bypass', 'not vulnerable'], ['SpeculationIndirectBranch', 'unsupported'],
    ['Cpus_allowed', (t?.sched.affinity ?? ONLINE_CPUS).toString(16)], ['Cpus_allowed_list', cpuList(t?.sched.affinity ?? ONLINE_CPUS)],
    ['Mems_allowed', '1'], ['Mems_allowed_list', '0'], ['voluntary_ctxt_switches', 0], ['nonvoluntary_ctxt_switches', 0]);
  return lines.map(([k, v]) => `${k}:\t${v}\n`).join('');
}
