// Signal syscalls: rt_sigaction(2), rt_sigprocmask(2), sigaltstack(2), rt_sigreturn(2), rt_sigsuspend(2),
// pause(2), rt_sigpending(2), rt_sigtimedwait(2), kill(2), tkill(2), tgkill(2), rt_sigqueueinfo(2),
// rt_tgsigqueueinfo(2).
// The mechanism (posting, delivery, frames) lives in kernel/signal-*.ts.
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { E, err } from '../kernel/errno.js';
import { NSIG, SIG } from '../kernel/signals.js';
import { dequeueSignal, postSignal, UNBLOCKABLE, type SigInfo } from '../kernel/signal-deliver.js';
import { popFrame } from '../kernel/signal-frame.js';
import { sendSignal, sendSignalToGroup, sendSignalToAll } from '../kernel/signal-send.js';
import { ERESTARTNOHAND, waitOn } from '../kernel/wait-queue.js';
import { taskById } from '../kernel/task-lookup.js';
import { sys, type SyscallDef } from './types.js';
import { readTimespec, struct } from './abi.js';
import { encodeSiginfo } from '../kernel/signal-frame.js';

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 0x80000000, MINSIGSTKSZ = 2048;
const SI_USER = 0, SI_TKILL = -6;

const k = (t: Task): KTask => t as KTask;
const validSig = (sig: number): boolean => sig >= 1 && sig <= NSIG;

/** Changing the mask may make pending signals deliverable: tell the scheduler. */
function setMask(t: KTask, mask: bigint): void {
  t.sigmask = mask & ~UNBLOCKABLE;
  if (t.pendingSigs & ~t.sigmask) t.sigDirty = true;
}

function sigaction(t: Task, sig: number, act: number, oact: number, setsize: number): number {
  if (setsize !== 8 || !validSig(sig)) throw err(E.EINVAL);
  if (act && (sig === SIG.SIGKILL || sig === SIG.SIGSTOP)) throw err(E.EINVAL);
  const cur = t.process.sigactions[sig];
  const next = act ? {
    handler: t.mem.readBig(act), flags: t.mem.readBig(act + 8),
    restorer: t.mem.readBig(act + 16), mask: t.mem.readBig(act + 24) & ~UNBLOCKABLE,
  } : null;
  if (oact) {
    const s = struct(32);
    [cur.handler, cur.flags, cur.restorer, cur.mask].forEach((v, i) => s.dv.setBigUint64(8 * i, v, true));
    t.mem.write(oact, s.u8);
  }
  if (next) t.process.sigactions[sig] = next;
  return 0;
}

function sigprocmask(t: Task, how: number, set: number, oset: number, setsize: number): number {
  if (setsize !== 8) throw err(E.EINVAL);
  const old = t.sigmask;
  if (set) {
    const s = t.mem.readBig(set);
    if (how === SIG_BLOCK) setMask(k(t), old | s);
    else if (how === SIG_UNBLOCK) setMask(k(t), old & ~s);
    else if (how === SIG_SETMASK) setMask(k(t), s);
    else throw err(E.EINVAL);
  }
  if (oset) t.mem.writeU64(oset, old);
  return 0;
}

/** sigaltstack(2): EPERM while running on it; a new stack must be at least MINSIGSTKSZ. */
function sigaltstack(t: Task, ss: number, oss: number): number {
  const kt = k(t);
  const alt = kt.altstack;
  const rsp = Number(t.cpu.get('rsp'));
  const onIt = alt !== null && rsp > alt.sp && rsp <= alt.sp + alt.size;
  if (oss) {
    const s = struct(24);
    s.dv.setBigUint64(0, BigInt(alt?.sp ?? 0), true);
    s.dv.setInt32(8, alt === null ? SS_DISABLE : onIt ? SS_ONSTACK : 0, true);
    s.dv.setBigUint64(16, BigInt(alt?.size ?? 0), true);
    t.mem.write(oss, s.u8);
  }
  if (ss) {
    const b = t.mem.read(ss, 24);
    const dv = new DataView(b.buffer, b.byteOffset, 24);
    const flags = dv.getInt32(8, true);
    if (onIt) throw err(E.EPERM);
    if ((flags & ~SS_AUTODISARM) !== 0 && (flags & ~SS_AUTODISARM) !== SS_DISABLE && flags !== SS_ONSTACK) throw err(E.EINVAL);
    if (flags & SS_DISABLE) { kt.altstack = null; return 0; }
    const size = Number(dv.getBigUint64(16, true));
    if (size < MINSIGSTKSZ) throw err(E.ENOMEM);
    kt.altstack = { sp: Number(dv.getBigUint64(0, true)), size, flags: 0 };
  }
  return 0;
}

/** rt_sigreturn(2): back from a handler; the registers come from the frame (RAX included). */
function sigreturn(t: Task): number {
  const kt = k(t);
  const { mask, rax } = popFrame(kt);
  setMask(kt, mask);
  kt.stopRequested = true; // resume from the restored RIP with a fresh run
  return Number(BigInt.asIntN(64, rax));
}

/** rt_sigsuspend(2): wait with a temporary mask until a handler runs (then EINTR); the mask returns after it. */
function sigsuspend(t: Task, maskp: number, size: number): Promise<number> {
  if (size !== 8) throw err(E.EINVAL);
  const kt = k(t);
  const mask = t.mem.readBig(maskp);
  kt.savedMask = kt.sigmask;
  setMask(kt, mask);
  return waitOn([], () => null, { interruptErrno: ERESTARTNOHAND }) as Promise<number>;
}

/** rt_sigtimedwait(2): take one signal of `set` from the pending ones, waiting for it if needed. */
function sigtimedwait(t: Task, setp: number, infop: number, timeout: number, size: number): number | Promise<number> {
  if (size !== 8) throw err(E.EINVAL);
  const kt = k(t);
  const set = t.mem.readBig(setp) & ~UNBLOCKABLE;
  const ms = timeout ? Number(readTimespec(t.mem, timeout)) / 1e6 : undefined;
  const take = (): number | null => {
    const next = dequeueSignal(kt, set);
    if (!next) return null;
    if (infop) t.mem.write(infop, encodeSiginfo(next.sig, next.info));
    kt.sigwaitSet = 0n;
    return next.sig;
  };
  kt.sigwaitSet = set;
  return waitOn([kt.sigQueue], take, {
    timeoutMs: ms, onTimeout: () => { kt.sigwaitSet = 0n; throw err(E.EAGAIN); },
    interruptErrno: E.EINTR,
  });
}

/** kill(2): a process, our group (0), everyone we may signal (-1), or a group (-pgid). */
function kill(t: Task, pid: number, sig: number): number {
  if (!validSig(sig) && sig !== 0) throw err(E.EINVAL);
  const info: SigInfo = { code: SI_USER, pid: t.process.pid, uid: t.creds.uid };
  if (pid > 0) sendSignal(t.kernel, pid, sig, t, info);
  else if (pid === 0) sendSignalToGroup(t.kernel, t.process.pgid, sig, t, info);
  else if (pid === -1) sendSignalToAll(t.kernel, sig, t, info);
  else sendSignalToGroup(t.kernel, -pid, sig, t, info);
  return 0;
}

/** tgkill(2)/tkill(2): one thread. */
function tgkill(t: Task, tgid: number, tid: number, sig: number): number {
  if (tid <= 0 || (tgid !== -1 && tgid <= 0) || (!validSig(sig) && sig !== 0)) throw err(E.EINVAL);
  const target = taskById(t, tid);
  if (tgid !== -1 && target.process.pid !== tgid) throw err(E.ESRCH);
  if (sig && !postSignal(target, sig, { code: SI_TKILL, pid: t.process.pid, uid: t.creds.uid })) throw err(E.EAGAIN);
  return 0;
}

/**
 * A siginfo a program queues with a signal (rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal): only
 * to itself may it claim to be the kernel or kill(2) (si_code >= 0 or SI_TKILL), else EPERM.
 */
export function userSiginfo(t: Task, infop: number, toSelf: boolean): { signo: number; info: SigInfo } {
  const b = t.mem.read(infop, 128);
  const dv = new DataView(b.buffer, b.byteOffset, 128);
  const code = dv.getInt32(8, true);
  if ((code >= 0 || code === SI_TKILL) && !toSelf) throw err(E.EPERM);
  return { signo: dv.getInt32(0, true), info: { code, pid: dv.getInt32(16, true), uid: dv.getInt32(20, true), value: dv.getBigUint64(24, true) } };
}

/** rt_sigqueueinfo(2): like kill(2) to one process, with the sender's siginfo. */
function sigqueueinfo(t: Task, pid: number, sig: number, infop: number): number {
  if (!validSig(sig)) throw err(E.EINVAL);
  sendSignal(t.kernel, pid, sig, t, userSiginfo(t, infop, pid === t.process.pid).info);
  return 0;
}

/** rt_tgsigqueueinfo(2): as rt_sigqueueinfo, to one thread of a thread group (tgkill's target rules). */
function tgsigqueueinfo(t: Task, tgid: number, tid: number, sig: number, infop: number): number {
  if (tgid <= 0 || tid <= 0) throw err(E.EINVAL);
  const { info } = userSiginfo(t, infop, tid === t.tid);
  const target = taskById(t, tid);
  if (target.process.pid !== tgid) throw err(E.ESRCH);
  if (sig < 0 || sig > NSIG) throw err(E.EINVAL);
  if (sig && !postSignal(target, sig, info)) throw err(E.EAGAIN);
  return 0;
}

export const signalSyscalls: SyscallDef[] = [
  sys(13, 'rt_sigaction', ['int', 'ptr', 'ptr', 'size'], sigaction),
  sys(14, 'rt_sigprocmask', ['int', 'ptr', 'ptr', 'size'], sigprocmask),
  sys(131, 'sigaltstack', ['ptr', 'ptr'], sigaltstack),
  sys(15, 'rt_sigreturn', [], sigreturn),
  sys(130, 'rt_sigsuspend', ['ptr', 'size'], sigsuspend),
  // pause(2): sleep until a signal is delivered to a handler (then EINTR) or ends the process
  sys(34, 'pause', [], () => waitOn([], () => null, { interruptErrno: ERESTARTNOHAND })),
  sys(127, 'rt_sigpending', ['ptr', 'size'], (t, set, size) => {
    if (size > 8) throw err(E.EINVAL);
    t.mem.writeU64(set, k(t).pendingSigs & t.sigmask);
    return 0;
  }),
  sys(128, 'rt_sigtimedwait', ['ptr', 'ptr', 'ptr', 'size'], sigtimedwait),
  sys(62, 'kill', ['int', 'int'], kill),
  sys(200, 'tkill', ['int', 'int'], (t, tid, sig) => tgkill(t, -1, tid, sig)),
  sys(234, 'tgkill', ['int', 'int', 'int'], tgkill),
  sys(129, 'rt_sigqueueinfo', ['int', 'int', 'ptr'], sigqueueinfo),
  sys(297, 'rt_tgsigqueueinfo', ['int', 'int', 'int', 'ptr'], tgsigqueueinfo),
  // restart_syscall(2): resumes what a stop or an ignored signal interrupted (finishSyscall sets it up); with
  // nothing pending it is EINTR, as do_no_restart_syscall answers
  sys(219, 'restart_syscall', [], (t) => {
    const resume = t.restartBlock;
    t.restartBlock = null;
    if (!resume) throw err(E.EINTR);
    return resume();
  }),
];
