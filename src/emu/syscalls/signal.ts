// Signal state syscalls: rt_sigaction(2), rt_sigprocmask(2), sigaltstack(2), kill(2), tgkill(2).
// Handlers are recorded exactly; delivering a signal to a guest handler (frames, sigreturn) comes with the
// Processes work, so until then a caught signal takes its default action, with a one-line diagnostic.
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { NSIG, SIG, SIG_DFL, SIG_IGN, defaultAction, signaledStatus } from '../kernel/signals.js';
import { partial, sys, type SyscallDef } from './types.js';
import { struct } from './abi.js';

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const UNBLOCKABLE = (1n << BigInt(SIG.SIGKILL - 1)) | (1n << BigInt(SIG.SIGSTOP - 1));
const SS_DISABLE = 2;

const validSig = (sig: number): boolean => sig >= 1 && sig <= NSIG;

function sigaction(t: Task, sig: number, act: number, oact: number, setsize: number): number {
  if (setsize !== 8 || !validSig(sig)) throw err(E.EINVAL);
  if (act && (sig === SIG.SIGKILL || sig === SIG.SIGSTOP)) throw err(E.EINVAL);
  const cur = t.process.sigactions[sig];
  const next = act ? readAction(t, act) : null;
  if (oact) {
    const s = struct(32);
    s.dv.setBigUint64(0, cur.handler, true);
    s.dv.setBigUint64(8, cur.flags, true);
    s.dv.setBigUint64(16, cur.restorer, true);
    s.dv.setBigUint64(24, cur.mask, true);
    t.mem.write(oact, s.u8);
  }
  if (next) t.process.sigactions[sig] = next;
  return 0;
}

/** struct kernel_sigaction (x86-64): handler, flags, restorer, mask (SIGKILL/SIGSTOP never maskable). */
function readAction(t: Task, addr: number) {
  return {
    handler: t.mem.readBig(addr), flags: t.mem.readBig(addr + 8),
    restorer: t.mem.readBig(addr + 16), mask: t.mem.readBig(addr + 24) & ~UNBLOCKABLE,
  };
}

function sigprocmask(t: Task, how: number, set: number, oset: number, setsize: number): number {
  if (setsize !== 8) throw err(E.EINVAL);
  const old = t.sigmask;
  if (set) {
    const s = t.mem.readBig(set) & ~UNBLOCKABLE;
    if (how === SIG_BLOCK) t.sigmask = old | s;
    else if (how === SIG_UNBLOCK) t.sigmask = old & ~s;
    else if (how === SIG_SETMASK) t.sigmask = s;
    else throw err(E.EINVAL);
  }
  if (oset) t.mem.writeU64(oset, old);
  return 0;
}

const altstacks = new WeakMap<object, Uint8Array>();

function sigaltstack(t: Task, ss: number, oss: number): number {
  const old = altstacks.get(t) ?? disabledStack();
  if (ss) {
    const b = t.mem.read(ss, 24);
    const flags = new DataView(b.buffer, b.byteOffset).getInt32(8, true);
    if (flags & ~(SS_DISABLE | 0x80000000)) throw err(E.EINVAL);
    const size = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(16, true));
    if (!(flags & SS_DISABLE) && size < 2048) throw err(E.ENOMEM);
    altstacks.set(t, flags & SS_DISABLE ? disabledStack() : b);
  }
  if (oss) t.mem.write(oss, old);
  return 0;
}

function disabledStack(): Uint8Array {
  const s = struct(24);
  s.dv.setInt32(8, SS_DISABLE, true);
  return s.u8;
}

/** Send `sig` to our own process: default action now, handlers once delivery exists. */
export function raise(t: Task, sig: number): number {
  if (sig === 0) return 0;
  const act = t.process.sigactions[sig];
  if (act.handler === SIG_IGN && sig !== SIG.SIGKILL && sig !== SIG.SIGSTOP) return 0;
  if (act.handler !== SIG_DFL && act.handler !== SIG_IGN) {
    t.kernel.log(`pbash: signal ${sig} to a handler: handler delivery is not implemented yet, taking the default action`);
  }
  const d = defaultAction(sig);
  if (d === 'term' || d === 'core') t.exitGroup(signaledStatus(sig));
  return 0;
}

function target(t: Task, pid: number): void {
  if (pid !== t.process.pid && pid !== 0 && pid !== -1 && pid !== -t.process.pgid) throw err(E.ESRCH);
}

export const signalSyscalls: SyscallDef[] = [
  sys(13, 'rt_sigaction', ['int', 'ptr', 'ptr', 'size'], sigaction),
  sys(14, 'rt_sigprocmask', ['int', 'ptr', 'ptr', 'size'], sigprocmask),
  sys(131, 'sigaltstack', ['ptr', 'ptr'], sigaltstack),
  // rt_sigpending(2): nothing is ever left pending until delivery exists
  sys(127, 'rt_sigpending', ['ptr', 'size'], (t, set, size) => { if (size > 8) throw err(E.EINVAL); t.mem.writeU64(set, 0); return 0; }),
  partial(62, 'kill', ['int', 'int'], 'only the calling process can be signalled; handlers are not run yet', (t, pid, sig) => {
    if (!validSig(sig) && sig !== 0) throw err(E.EINVAL);
    target(t, pid);
    return raise(t, sig);
  }),
  partial(200, 'tkill', ['int', 'int'], 'only the calling thread; handlers are not run yet', (t, tid, sig) => {
    if (tid <= 0 || (!validSig(sig) && sig !== 0)) throw err(E.EINVAL);
    if (tid !== t.tid) throw err(E.ESRCH);
    return raise(t, sig);
  }),
  partial(234, 'tgkill', ['int', 'int', 'int'], 'only the calling thread; handlers are not run yet', (t, tgid, tid, sig) => {
    if (tgid <= 0 || tid <= 0 || (!validSig(sig) && sig !== 0)) throw err(E.EINVAL);
    if (tgid !== t.process.pid || tid !== t.tid) throw err(E.ESRCH);
    return raise(t, sig);
  }),
];
