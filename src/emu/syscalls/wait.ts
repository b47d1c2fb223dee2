// Waiting for child processes: wait4(2), waitid(2) (P_PIDFD included).
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { reap, type KProcess } from '../kernel/process.js';
import { E, err } from '../kernel/errno.js';
import { pidfdProcess } from '../kernel/pidfd.js';
import { SIG } from '../kernel/signals.js';
import { CLD } from '../kernel/signal-deliver.js';
import { waitOn } from '../kernel/wait-queue.js';
import { sys, type SyscallDef } from './types.js';
import { encodeRusage, struct } from './abi.js';
import { takeReport, traceReport, traceesOf, type TraceReport } from '../kernel/ptrace-wait.js';

const WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000;
const WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = 0x80000000;
const P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;

/** Whether a process (a child, or a tracee's process with the tracee's thread id as `id`) is waited for. */
type Match = (c: KProcess, id: number) => boolean;

/** What a child has to report: its exit (zombie), or a stop/continue when the caller asked for those. */
type Event = 'exit' | 'stopped' | 'continued';
function eventOf(c: KProcess, options: number): Event | null {
  // an exit is reported once the last thread is gone (not while it reports PTRACE_EVENT_EXIT), and a
  // tracer reports a tracee's end first
  if (c.zombie) return options & WEXITED && !c.traceHeld && !c.threads.size ? 'exit' : null;
  if (c.waitEvent === 'stopped' && options & WUNTRACED) return 'stopped';
  if (c.waitEvent === 'continued' && options & WCONTINUED) return 'continued';
  return null;
}

/**
 * Wait for a child or tracee matching `match` with something to report; `take` (`traced` for a tracee's
 * stop or exit) consumes it and gives the result. ECHILD when none matches at all; 0 with WNOHANG when
 * none has anything yet. Interruptible.
 */
function waitChild(t: Task, match: Match, options: number, take: (c: KProcess, ev: Event) => number,
  traced: (r: TraceReport) => number): number | Promise<number> {
  const proc = (t as KTask).process;
  const attempt = (): number | null => {
    // tracees first: their stops and ends are reported to the tracer, clone children included (__WALL)
    const tracees = traceesOf(t as KTask, (options & WNOTHREAD) !== 0).filter((tr) => match(tr.task.process, tr.task.tid));
    for (const tr of tracees) {
      const r = traceReport(tr, (options & WEXITED) !== 0);
      if (r) return traced(r);
    }
    const candidates = [...proc.children].filter((c) => match(c, c.pid));
    if (!candidates.length && !tracees.length) throw err(E.ECHILD);
    for (const c of candidates) {
      const ev = eventOf(c, options);
      if (ev) return take(c, ev);
    }
    return options & WNOHANG ? 0 : null;
  };
  return waitOn([proc.childQueue], attempt);
}

/** The wait status word of an event (wait(2): WIFSTOPPED 0x7f, WIFCONTINUED 0xffff). */
function statusOf(c: KProcess, ev: Event): number {
  if (ev === 'stopped') return (c.stopSig << 8) | 0x7f;
  if (ev === 'continued') return 0xffff;
  return c.exitStatus!;
}

/** Linux's rules for whose children a pid argument names (wait4(2)). */
function matcher(t: Task, pid: number): Match {
  if (pid > 0) return (_, id) => id === pid;
  if (pid === 0) return (c) => c.pgid === t.process.pgid;
  if (pid < -1) return (c) => c.pgid === -pid;
  return () => true;
}

function writeRusage(t: Task, addr: number, c: KProcess): void {
  // getrusage(RUSAGE_BOTH) of the child: its own and its reaped children's
  t.mem.write(addr, encodeRusage(c.utimeNs + c.childUtimeNs, c.stimeNs + c.childStimeNs, Math.max(c.peakRss(), c.cmaxrss)));
}

function wait4(t: Task, pid: number, wstatus: number, options: number, rusage: number): number | Promise<number> {
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE) || pid === -2147483648) throw err(E.EINVAL);
  return waitChild(t, matcher(t, pid), options | WEXITED, (c, ev) => {
    if (wstatus) t.mem.writeI32(wstatus, statusOf(c, ev));
    if (rusage) writeRusage(t, rusage, c);
    if (ev === 'exit') reap(c); else c.waitEvent = null;
    return c.pid;
  }, (r) => {
    if (wstatus) t.mem.writeI32(wstatus, r.status);
    if (rusage) writeRusage(t, rusage, r.tr.task.process);
    takeReport(r);
    return r.tr.task.tid;
  });
}

function waitid(t: Task, idtype: number, id: number, infop: number, options: number, rusage: number): number | Promise<number> {
  if (options & ~(WNOHANG | WEXITED | WUNTRACED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE)) throw err(E.EINVAL);
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) throw err(E.EINVAL);
  let match: Match, nonblockingFd = false;
  if (idtype === P_ALL) match = () => true;
  else if (idtype === P_PID && id > 0) match = (_, tid) => tid === id;
  else if (idtype === P_PGID && id >= 0) match = (c) => c.pgid === (id || t.process.pgid);
  else if (idtype === P_PIDFD && id >= 0) {
    const { proc, file } = pidfdProcess(t, id);
    match = (c) => c === proc;
    nonblockingFd = file.nonblocking;
  } else throw err(E.EINVAL);
  let found = false;
  const r = waitChild(t, match, nonblockingFd ? options | WNOHANG : options, (c, ev) => {
    found = true;
    if (infop) t.mem.write(infop, siginfoOf(c, ev));
    if (rusage) writeRusage(t, rusage, c);
    if (!(options & WNOWAIT)) { if (ev === 'exit') reap(c); else c.waitEvent = null; }
    return 0;
  }, (r) => {
    found = true;
    if (infop) t.mem.write(infop, traceSiginfo(r));
    if (rusage) writeRusage(t, rusage, r.tr.task.process);
    if (!(options & WNOWAIT)) takeReport(r);
    return 0;
  });
  // WNOHANG with nothing to report: si_pid must read 0 (the man page's portable check)
  if (!found && r === 0 && infop) t.mem.write(infop, new Uint8Array(128));
  // a nonblocking pidfd waits as WNOHANG, and "nothing yet" is EAGAIN unless WNOHANG was asked (kernel_waitid)
  if (!found && r === 0 && nonblockingFd && !(options & WNOHANG)) throw err(E.EAGAIN);
  return r;
}

/** The SIGCHLD siginfo of a child's event. */
function siginfoOf(c: KProcess, ev: Event): Uint8Array {
  const s = struct(128);
  const st = c.exitStatus ?? 0;
  const sig = st & 0x7f;
  s.dv.setInt32(0, SIG.SIGCHLD, true);
  const code = ev === 'stopped' ? CLD.STOPPED : ev === 'continued' ? CLD.CONTINUED
    : sig === 0 ? CLD.EXITED : st & 0x80 ? CLD.DUMPED : CLD.KILLED;
  s.dv.setInt32(8, code, true);
  s.dv.setInt32(16, c.pid, true);
  s.dv.setInt32(24, ev === 'stopped' ? c.stopSig : ev === 'continued' ? SIG.SIGCONT : sig === 0 ? (st >> 8) & 0xff : sig, true);
  return s.u8;
}

/** The SIGCHLD siginfo of a tracee's report: CLD_TRAPPED with the stop's code, or its exit. */
function traceSiginfo(r: TraceReport): Uint8Array {
  const s = struct(128);
  const st = r.status, sig = st & 0x7f;
  s.dv.setInt32(0, SIG.SIGCHLD, true);
  const code = !r.exited ? CLD.TRAPPED : sig === 0 ? CLD.EXITED : st & 0x80 ? CLD.DUMPED : CLD.KILLED;
  s.dv.setInt32(8, code, true);
  s.dv.setInt32(16, r.tr.task.tid, true);
  s.dv.setInt32(20, r.tr.task.creds.uid, true);
  s.dv.setInt32(24, !r.exited ? st >> 8 : sig === 0 ? (st >> 8) & 0xff : sig, true);
  return s.u8;
}

export const waitSyscalls: SyscallDef[] = [
  sys(61, 'wait4', ['int', 'ptr', 'flags', 'ptr'], wait4),
  sys(247, 'waitid', ['int', 'int', 'ptr', 'flags', 'ptr'], waitid),
];
