// Creating and waiting for processes: clone(2), fork(2), vfork(2), wait4(2), waitid(2).
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { reap, type KProcess } from '../kernel/process.js';
import { E, err } from '../kernel/errno.js';
import { CLONE, cloneProcess } from '../kernel/fork.js';
import { SIG } from '../kernel/signals.js';
import { partial, sys, type SyscallDef } from './types.js';
import { struct } from './abi.js';

const WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000;
const WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = 0x80000000;
const P_ALL = 0, P_PID = 1, P_PGID = 2;
const CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;

type Match = (c: KProcess) => boolean;

/**
 * Wait for a zombie child matching `match`; `take` consumes it (or not, for WNOWAIT) and gives the result.
 * ECHILD when no child matches at all; 0 with WNOHANG when none has ended yet.
 */
function waitChild(t: Task, match: Match, nohang: boolean, take: (c: KProcess) => number): number | Promise<number> {
  const proc = (t as KTask).process;
  const attempt = (): number | null => {
    const candidates = [...proc.children].filter(match);
    if (!candidates.length) throw err(E.ECHILD);
    const z = candidates.find((c) => c.zombie);
    return z ? take(z) : null;
  };
  const now = attempt();
  if (now !== null) return now;
  if (nohang) return 0;
  return new Promise<number>((resolve, reject) => {
    const watcher = (): void => {
      try {
        const r = attempt();
        if (r === null) return;
        proc.childWatchers.delete(watcher);
        resolve(r);
      } catch (e) {
        proc.childWatchers.delete(watcher);
        reject(e);
      }
    };
    proc.childWatchers.add(watcher);
  });
}

/** Linux's rules for whose children a pid argument names (wait4(2)). */
function matcher(t: Task, pid: number): Match {
  if (pid > 0) return (c) => c.pid === pid;
  if (pid === 0) return (c) => c.pgid === t.process.pgid;
  if (pid < -1) return (c) => c.pgid === -pid;
  return () => true;
}

function writeRusage(t: Task, addr: number, c: KProcess): void {
  const s = struct(144);
  const tv = (off: number, ns: number): void => {
    s.dv.setBigInt64(off, BigInt(Math.floor(ns / 1e9)), true);
    s.dv.setBigInt64(off + 8, BigInt(Math.floor((ns % 1e9) / 1e3)), true);
  };
  tv(0, c.utimeNs + c.childUtimeNs);
  tv(16, c.stimeNs + c.childStimeNs);
  t.mem.write(addr, s.u8);
}

function wait4(t: Task, pid: number, wstatus: number, options: number, rusage: number): number | Promise<number> {
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE) || pid === -2147483648) throw err(E.EINVAL);
  return waitChild(t, matcher(t, pid), (options & WNOHANG) !== 0, (c) => {
    if (wstatus) t.mem.writeI32(wstatus, c.exitStatus!);
    if (rusage) writeRusage(t, rusage, c);
    reap(c);
    return c.pid;
  });
}

function waitid(t: Task, idtype: number, id: number, infop: number, options: number, rusage: number): number | Promise<number> {
  if (options & ~(WNOHANG | WEXITED | WUNTRACED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE)) throw err(E.EINVAL);
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) throw err(E.EINVAL);
  let match: Match;
  if (idtype === P_ALL) match = () => true;
  else if (idtype === P_PID && id > 0) match = (c) => c.pid === id;
  else if (idtype === P_PGID && id >= 0) match = (c) => c.pgid === (id || t.process.pgid);
  else throw err(E.EINVAL);
  if (!(options & WEXITED)) match = () => false; // stops and continues come with job control
  const r = waitChild(t, match, (options & WNOHANG) !== 0, (c) => {
    if (infop) t.mem.write(infop, siginfoOf(c));
    if (rusage) writeRusage(t, rusage, c);
    if (!(options & WNOWAIT)) reap(c);
    return 0;
  });
  // WNOHANG with nothing to report: si_pid must read 0 (the man page's portable check)
  if (r === 0 && infop && options & WNOHANG) t.mem.write(infop, new Uint8Array(128));
  return r;
}

/** The SIGCHLD siginfo of an ended child. */
function siginfoOf(c: KProcess): Uint8Array {
  const s = struct(128);
  const st = c.exitStatus!;
  const sig = st & 0x7f;
  s.dv.setInt32(0, SIG.SIGCHLD, true);
  s.dv.setInt32(8, sig === 0 ? CLD_EXITED : st & 0x80 ? CLD_DUMPED : CLD_KILLED, true);
  s.dv.setInt32(16, c.pid, true);
  s.dv.setInt32(24, sig === 0 ? (st >> 8) & 0xff : sig, true);
  return s.u8;
}

const k = (t: Task): KTask => t as KTask;

export const waitSyscalls: SyscallDef[] = [
  partial(56, 'clone', ['flags', 'ptr', 'ptr', 'ptr', 'u64'], 'new processes only: CLONE_THREAD and namespaces are not provided yet',
    (t, flags, newsp, ptid, ctid, tls) => cloneProcess(k(t), { flags, newsp, ptid, ctid, tls })),
  sys(57, 'fork', [], (t) => cloneProcess(k(t), { flags: SIG.SIGCHLD, newsp: 0, ptid: 0, ctid: 0, tls: 0 })),
  sys(58, 'vfork', [], (t) => cloneProcess(k(t), { flags: CLONE.VM | CLONE.VFORK | SIG.SIGCHLD, newsp: 0, ptid: 0, ctid: 0, tls: 0 })),
  partial(61, 'wait4', ['int', 'ptr', 'flags', 'ptr'], 'exited children only: stopped/continued states come with job control', wait4),
  partial(247, 'waitid', ['int', 'int', 'ptr', 'flags', 'ptr'], 'exited children only: stopped/continued states come with job control', waitid),
];
