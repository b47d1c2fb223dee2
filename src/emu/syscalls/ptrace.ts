// ptrace(2): process tracing. The link, stops and resuming are kernel/ptrace*.ts; this decodes requests.
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { E, err } from '../kernel/errno.js';
import { SIG } from '../kernel/signals.js';
import { UNBLOCKABLE, postSignal } from '../kernel/signal-deliver.js';
import { encodeSiginfo } from '../kernel/signal-frame.js';
import { mayPtrace } from '../kernel/task-lookup.js';
import { CAP, capable } from '../kernel/capability.js';
import { PTRACE_EVENT, PTRACE_O, PTRACE_O_MASK, link, resume, retrap, unlink, validSignal, type Tracee } from '../kernel/ptrace.js';
import { groupStopTraced } from '../kernel/ptrace-signal.js';
import { peekWord, pokeWord } from '../kernel/ptrace-mem.js';
import { FPREGS_SIZE, USER_REGS_SIZE, getFpRegs, getUserRegs, peekUser, pokeUser, setFpRegs, setUserRegs } from '../kernel/ptrace-regs.js';
import { decodeSiginfo, syscallInfo } from '../kernel/ptrace-info.js';
import { blockers } from '../kernel/wait-queue.js';
import { partial, type SyscallDef } from './types.js';

const REQ = {
  TRACEME: 0, PEEKTEXT: 1, PEEKDATA: 2, PEEKUSER: 3, POKETEXT: 4, POKEDATA: 5, POKEUSER: 6, CONT: 7, KILL: 8,
  SINGLESTEP: 9, GETREGS: 12, SETREGS: 13, GETFPREGS: 14, SETFPREGS: 15, ATTACH: 16, DETACH: 17, SYSCALL: 24,
  SETOPTIONS: 0x4200, GETEVENTMSG: 0x4201, GETSIGINFO: 0x4202, SETSIGINFO: 0x4203, GETREGSET: 0x4204,
  SETREGSET: 0x4205, SEIZE: 0x4206, INTERRUPT: 0x4207, LISTEN: 0x4208, GETSIGMASK: 0x420a, SETSIGMASK: 0x420b,
  GET_SYSCALL_INFO: 0x420e,
} as const;
const NT_PRSTATUS = 1, NT_PRFPREG = 2;

/** PTRACE_TRACEME: the parent becomes the tracer (ptrace_traceme). */
function traceMe(t: KTask): number {
  const parent = t.process.parent;
  if (t.ptrace || !parent) throw err(E.EPERM);
  const tracer = [...parent.threads].find((o) => !o.dead);
  if (!tracer || parent === t.kernel.init) throw err(E.EPERM, 'ptrace: init runs no guest code and cannot trace');
  link(t, tracer, false, 0);
  return 0;
}

/** PTRACE_ATTACH / PTRACE_SEIZE (ptrace_attach): the caller needs attach rights over the target. */
function attach(t: KTask, pid: number, seize: boolean, addr: number, options: number): number {
  if (seize && addr !== 0) throw err(E.EIO);
  if (seize) checkOptions(t, options, E.EIO);
  const target = pid > 0 ? t.kernel.tasks.get(pid) as KTask | undefined : undefined;
  if (!target || target.dead) throw err(E.ESRCH);
  const p = target.process;
  if (p === t.process || target.ptrace || p.exitStatus !== null || !mayPtrace(t, target)) throw err(E.EPERM);
  if (p === t.kernel.init || p.hostProxy) throw err(E.EPERM, 'ptrace: init and host programs run no guest code to trace');
  link(target, t, seize, seize ? options : 0);
  if (!seize) postSignal(target, SIG.SIGSTOP, { code: 0x80, pid: 0, uid: 0 }); // SEND_SIG_PRIV
  if (p.stopSig && p.stoppedTasks.delete(target)) groupStopTraced(target, p.stopSig); // already stopped: now traced-stopped
  return 0;
}

/** ptrace_check_attach: `pid` is traced by the caller's process and, unless `anyState`, in a ptrace-stop. */
function tracee(t: KTask, pid: number, anyState = false): Tracee {
  const target = pid > 0 ? t.kernel.tasks.get(pid) as KTask | undefined : undefined;
  const tr = target?.ptrace;
  if (!tr || tr.tracer.process !== t.process || tr.exitStatus !== null || (!anyState && (!tr.stop || tr.listening))) throw err(E.ESRCH);
  return tr;
}

function regset(t: KTask, tr: Tracee, type: number, iovAddr: number, set: boolean): number {
  const [size, get, put] = type === NT_PRSTATUS ? [USER_REGS_SIZE, getUserRegs, setUserRegs]
    : type === NT_PRFPREG ? [FPREGS_SIZE, getFpRegs, setFpRegs] : [0, null, null];
  if (!get || !put) throw err(E.EINVAL);
  const [iov] = t.mem.iovecs(iovAddr, 1);
  const len = Math.min(iov.len, size);
  const cur = get(tr.task);
  if (set) {
    cur.set(t.mem.read(iov.base, len)); // a short set changes the leading registers only
    put(tr.task, cur);
  } else t.mem.write(iov.base, cur.subarray(0, len));
  t.mem.writeU64(iovAddr + 8, len);
  return 0;
}

/** check_ptrace_options: known bits (else `bad`); PTRACE_O_SUSPEND_SECCOMP needs CAP_SYS_ADMIN and a tracer not under seccomp. */
function checkOptions(t: KTask, options: number, bad: number): void {
  if (options & ~PTRACE_O_MASK) throw err(bad);
  if (options & PTRACE_O.SUSPEND_SECCOMP && (!capable(t.creds, CAP.SYS_ADMIN) || t.seccomp !== null)) throw err(E.EPERM);
}

/** ptrace(request, pid, addr, data); PEEK* store the word at `data`, as the raw syscall does. */
function ptrace(task: Task, request: number, pid: number, addr: number, data: number): number {
  const t = task as KTask;
  if (request === REQ.TRACEME) return traceMe(t);
  if (request === REQ.ATTACH || request === REQ.SEIZE) return attach(t, pid, request === REQ.SEIZE, addr, data);
  const anyState = request === REQ.KILL || request === REQ.INTERRUPT;
  const tr = tracee(t, pid, anyState);
  const child = tr.task;
  const word = (): bigint => t.cpu.get('r10'); // data as the full 64-bit word (POKE*)
  switch (request) {
    case REQ.PEEKTEXT: case REQ.PEEKDATA: t.mem.writeU64(data, peekWord(child, addr)); return 0;
    case REQ.POKETEXT: case REQ.POKEDATA: pokeWord(child, addr, word()); return 0;
    case REQ.PEEKUSER: t.mem.writeU64(data, peekUser(child, addr)); return 0;
    case REQ.POKEUSER: pokeUser(child, addr, word()); return 0;
    case REQ.GETREGS: t.mem.write(data, getUserRegs(child)); return 0;
    case REQ.SETREGS: setUserRegs(child, t.mem.read(data, USER_REGS_SIZE)); return 0;
    case REQ.GETFPREGS: t.mem.write(data, getFpRegs(child)); return 0;
    case REQ.SETFPREGS: setFpRegs(child, t.mem.read(data, FPREGS_SIZE)); return 0;
    case REQ.GETREGSET: return regset(t, tr, addr, data, false);
    case REQ.SETREGSET: return regset(t, tr, addr, data, true);
    case REQ.CONT: case REQ.SYSCALL: case REQ.SINGLESTEP: {
      if (!validSignal(data)) throw err(E.EIO);
      resume(tr, request === REQ.SYSCALL ? 'syscall' : request === REQ.SINGLESTEP ? 'step' : 'cont', data, t);
      return 0;
    }
    case REQ.DETACH: {
      if (!validSignal(data)) throw err(E.EIO);
      // a signal-delivery-stop's signal (or the one given instead) is delivered once untraced
      const stop = tr.stop!;
      const sig = stop.kind === 'signal' ? data : 0;
      const info = stop.info && stop.sig === sig ? stop.info : { code: 0, pid: t.process.pid, uid: t.creds.uid };
      resume(tr, 'cont', 0, t);
      unlink(tr);
      if (sig) postSignal(child, sig, info);
      return 0;
    }
    case REQ.KILL: postSignal(child, SIG.SIGKILL, { code: 0, pid: t.process.pid, uid: t.creds.uid }); return 0;
    case REQ.SETOPTIONS:
      checkOptions(t, data, E.EINVAL);
      tr.options = data;
      return 0;
    case REQ.GETEVENTMSG: t.mem.writeU64(data, tr.eventMsg); return 0;
    case REQ.GETSIGINFO: {
      const s = tr.stop!;
      if (!s.info) throw err(E.EINVAL);
      t.mem.write(data, encodeSiginfo(s.sig, s.info));
      return 0;
    }
    case REQ.SETSIGINFO: {
      const s = tr.stop!;
      if (!s.info) throw err(E.EINVAL);
      Object.assign(s, decodeSiginfo(t.mem.read(data, 128)));
      return 0;
    }
    case REQ.GETSIGMASK:
      if (addr !== 8) throw err(E.EINVAL);
      t.mem.writeU64(data, child.sigmask);
      return 0;
    case REQ.SETSIGMASK:
      if (addr !== 8) throw err(E.EINVAL);
      child.sigmask = t.mem.readBig(data) & ~UNBLOCKABLE;
      return 0;
    case REQ.INTERRUPT: {
      if (!tr.seized) throw err(E.EIO);
      if (tr.listening) retrap(tr);
      if (tr.stop) return 0; // trapped
      tr.trapPending = true;
      child.sigDirty = true;
      blockers.get(child)?.interrupt();
      return 0;
    }
    case REQ.LISTEN: {
      // only a seized tracee in a group-stop's PTRACE_EVENT_STOP; one whose group stop has ended re-traps at once
      const s = tr.stop!;
      if (!tr.seized || s.kind !== 'event' || s.code >> 8 !== PTRACE_EVENT.STOP) throw err(E.EIO);
      if (child.process.stopSig) tr.listening = true; else retrap(tr);
      return 0;
    }
    case REQ.GET_SYSCALL_INFO: {
      const info = syscallInfo(child, tr);
      t.mem.write(data, info.subarray(0, Math.min(addr, info.length)));
      return info.length;
    }
    default: throw err(E.EIO);
  }
}

const NOTE = 'PTRACE_SYSEMU*, PTRACE_PEEKSIGINFO, PTRACE_ARCH_PRCTL, debug registers other than 0 (no hardware breakpoints) ' +
  'and segment selectors other than the 64-bit user ones: EIO; a group stop of a traced process stops only the thread ' +
  'taking the signal; orig_rax outside syscall stops is the last syscall (never -1)';

export const ptraceSyscalls: SyscallDef[] = [
  partial(101, 'ptrace', ['int', 'int', 'ptr', 'ptr'], NOTE, ptrace),
];
