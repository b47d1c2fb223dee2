// Secure computing (seccomp(2), kernel/seccomp.c): a thread's mode (strict, or a chain of classic BPF
// filters) and what happens to each of its syscalls before the handler runs. A thread's state is immutable
// and shared by pointer (fork, clone, TSYNC copy the reference), as Linux shares its refcounted chain.
import type { KTask } from './thread.js';
import { E, err } from './errno.js';
import { CAP, capable } from './capability.js';
import { SIG, SIG_DFL } from './signals.js';
import { forceSignal } from './signal-deliver.js';
import { KERN } from './kmsg.js';
import { BPF_MAXINSNS, checkProgram, ebpfLength, runProgram, type BpfProgram } from './bpf-classic.js';
import { SeccompListener, continuePending, resumesContinued } from './seccomp-notify.js';
import { seccompTrace } from './ptrace-syscall.js';
import { PTRACE_O } from './ptrace.js';

export const SECCOMP_MODE = { DISABLED: 0, STRICT: 1, FILTER: 2 } as const;
const FILTER_FLAG = { TSYNC: 1, LOG: 2, SPEC_ALLOW: 4, NEW_LISTENER: 8, TSYNC_ESRCH: 16, WAIT_KILLABLE_RECV: 32 } as const;
const FLAG_MASK = 63;
/** The action half of a filter's verdict (SECCOMP_RET_*); the low 16 bits are its data. */
export const RET = {
  KILL_PROCESS: 0x80000000, KILL_THREAD: 0, TRAP: 0x30000, ERRNO: 0x50000, USER_NOTIF: 0x7fc00000,
  TRACE: 0x7ff00000, LOG: 0x7ffc0000, ALLOW: 0x7fff0000,
} as const;
const AUDIT_ARCH_X86_64 = 0xc000003e;
const MAX_ERRNO = 4095;
/** MAX_INSNS_PER_PATH: the instructions of all filters a syscall may run, each filter costing 4 more. */
const MAX_INSNS_PER_PATH = 32768;
const SYS_SECCOMP = 1; // si_code of a seccomp SIGSYS
/** What strict mode allows (mode1_syscalls): read, write, exit, rt_sigreturn. */
const STRICT_ALLOWED = new Set([0, 1, 60, 15]);

export interface SeccompFilter {
  readonly prog: BpfProgram;
  readonly prev: SeccompFilter | null;
  /** SECCOMP_FILTER_FLAG_LOG: its non-allow actions are logged. */
  readonly log: boolean;
  /** SECCOMP_FILTER_FLAG_NEW_LISTENER: where its USER_NOTIF syscalls go. */
  readonly listener: SeccompListener | null;
  /** Some filter of the chain ending here reads seccomp_data.instruction_pointer. */
  readonly readsIp: boolean;
  /** Filters in the chain ending here (/proc/PID/status Seccomp_filters). */
  readonly count: number;
  /** eBPF instructions a syscall runs through this chain, 4 more per filter (seccomp_attach_filter's bound). */
  readonly pathInsns: number;
}

export interface Seccomp { readonly mode: 1 | 2; readonly filter: SeccompFilter | null; }

const STRICT: Seccomp = { mode: SECCOMP_MODE.STRICT, filter: null };

/** seccomp_may_assign_mode: a thread's mode never changes once set (only more filters stack). */
function mayAssign(t: KTask, mode: number): void {
  if (t.seccomp && t.seccomp.mode !== mode) throw err(E.EINVAL, 'seccomp: the thread is already in another mode');
}

/** SECCOMP_SET_MODE_STRICT. */
export function setStrict(t: KTask): void {
  mayAssign(t, SECCOMP_MODE.STRICT);
  t.seccomp = STRICT;
}

/** seccomp_prepare_user_filter: read struct sock_fprog {u16 len; struct sock_filter *filter} and check the program. */
function prepare(t: KTask, fprog: number): BpfProgram {
  const head = t.mem.read(fprog, 16);
  const dv = new DataView(head.buffer, head.byteOffset, 16);
  const len = dv.getUint16(0, true), insns = Number(dv.getBigUint64(8, true));
  if (len === 0 || len > BPF_MAXINSNS) throw err(E.EINVAL);
  // only no_new_privs or CAP_SYS_ADMIN may install a filter: it could mislead a set-id program it execs
  if (!t.process.noNewPrivs && !capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EACCES);
  if (insns === 0) throw err(E.EINVAL);
  return checkProgram(t.mem.read(insns, len * 8), len);
}

/** Threads TSYNC cannot move to the caller's chain (seccomp_can_sync_threads): the first one's tid, or 0. */
function unsyncable(t: KTask): number {
  for (const o of t.process.threads) {
    if (o === t || o.dead || !o.seccomp) continue;
    if (o.seccomp.mode !== SECCOMP_MODE.FILTER || !isAncestor(o.seccomp.filter, t.seccomp?.filter ?? null)) return o.tid;
  }
  return 0;
}

function isAncestor(parent: SeccompFilter | null, child: SeccompFilter | null): boolean {
  if (!parent) return true;
  for (let f = child; f; f = f.prev) if (f === parent) return true;
  return false;
}

/**
 * SECCOMP_SET_MODE_FILTER (seccomp_set_mode_filter): add a filter to the caller's chain; with TSYNC every
 * other thread takes the same chain, or the call returns the tid of one that cannot (ESRCH with TSYNC_ESRCH).
 */
export function setFilter(t: KTask, flags: number, fprog: number): number {
  if (flags & ~FLAG_MASK) throw err(E.EINVAL);
  // a listener fd and a failing thread's tid would be indistinguishable results
  if (flags & FILTER_FLAG.TSYNC && flags & FILTER_FLAG.NEW_LISTENER && !(flags & FILTER_FLAG.TSYNC_ESRCH)) throw err(E.EINVAL);
  if (flags & FILTER_FLAG.WAIT_KILLABLE_RECV && !(flags & FILTER_FLAG.NEW_LISTENER)) throw err(E.EINVAL);
  const prog = prepare(t, fprog);
  if (flags & FILTER_FLAG.NEW_LISTENER) t.files.lowestFree(); // EMFILE before anything is attached
  mayAssign(t, SECCOMP_MODE.FILTER);
  const prev = t.seccomp?.filter ?? null;
  // one listener per chain: a syscall could not tell which supervisor to ask
  if (flags & FILTER_FLAG.NEW_LISTENER) for (let f = prev; f; f = f.prev) if (f.listener && !f.listener.detached) throw err(E.EBUSY);
  const size = ebpfLength(prog);
  if (size + (prev?.pathInsns ?? 0) > MAX_INSNS_PER_PATH) throw err(E.ENOMEM);
  if (flags & FILTER_FLAG.TSYNC) {
    const tid = unsyncable(t);
    if (tid) { if (flags & FILTER_FLAG.TSYNC_ESRCH) throw err(E.ESRCH); return tid; }
  }
  const listener = flags & FILTER_FLAG.NEW_LISTENER ? new SeccompListener(t.kernel, (flags & FILTER_FLAG.WAIT_KILLABLE_RECV) !== 0) : null;
  const filter: SeccompFilter = { prog, prev, log: (flags & FILTER_FLAG.LOG) !== 0, listener, readsIp: prog.readsIp || (prev?.readsIp ?? false),
    count: (prev?.count ?? 0) + 1,
    pathInsns: size + 4 + (prev?.pathInsns ?? 0) };
  if (listener) listener.filter = filter;
  const state: Seccomp = { mode: SECCOMP_MODE.FILTER, filter };
  t.seccomp = state;
  if (flags & FILTER_FLAG.TSYNC) for (const o of t.process.threads) if (!o.dead) o.seccomp = state;
  return listener ? t.files.install(listener, true) : 0;
}

/** The task exited (seccomp_filter_release, at do_exit): its filters' listeners may poll HUP now. */
export function seccompExit(t: KTask): void {
  for (let f = t.seccomp?.filter ?? null; f; f = f.prev) f.listener?.queue.notify();
}

/** SECCOMP_GET_ACTION_AVAIL: whether `action` is one this kernel knows. */
export const actionAvailable = (action: number): boolean => (Object.values(RET) as number[]).includes(action);

/** seccomp_data as sixteen words (nr, arch, instruction_pointer, args[6]) and the filters' scratch memory. */
const data = new Uint32Array(16);
const scratch = new Uint32Array(16);

/**
 * The syscall entry check (__secure_computing), for a thread in a seccomp mode: undefined lets the syscall
 * run; a number is its result without running it (the thread may also have been killed or signalled); a
 * Promise, the answer of a supervisor it waits for (USER_NOTIF).
 * `w` holds the raw registers as 32-bit words: nr (lo, hi), then the six arguments.
 */
export function seccompEnter(t: KTask, s: Seccomp, w: Uint32Array): number | Promise<number> | undefined {
  const nr = w[0] | 0;
  if (t.ptrace && t.ptrace.options & PTRACE_O.SUSPEND_SECCOMP) return undefined; // a checkpointing tracer's choice
  if (s.mode === SECCOMP_MODE.STRICT) {
    if (w[1] === 0 && STRICT_ALLOWED.has(nr)) return undefined;
    audit(t, nr, SIG.SIGKILL, RET.KILL_THREAD);
    return killThread(t, SIG.SIGKILL);
  }
  // RIP (the address after the syscall instruction, as regs->ip) costs a native call: read only when needed
  const readIp = s.filter!.readsIp || continuePending(t);
  const ip = readIp ? t.cpu.get('rip') : -1n;
  if (readIp && resumesContinued(t, ip, nr)) return undefined;
  data[0] = w[0]; data[1] = AUDIT_ARCH_X86_64;
  if (readIp) { data[2] = Number(ip & 0xffffffffn); data[3] = Number(ip >> 32n); }
  for (let i = 2; i < 14; i++) data[i + 2] = w[i];
  // every filter runs, newest first; the lowest action (as a signed number) wins, the newest among equals
  let ret = RET.ALLOW as number, match: SeccompFilter | null = null;
  for (let f = s.filter; f; f = f.prev) {
    const r = runProgram(f.prog, data, scratch);
    if ((r & 0xffff0000) < (ret & 0xffff0000)) { ret = r; match = f; }
  }
  return ret === RET.ALLOW ? undefined : enforce(t, ret, match, nr, ip >= 0n ? ip : t.cpu.get('rip'), w);
}

/** What a verdict other than a plain ALLOW does to the syscall `nr` made at `ip`. */
function enforce(t: KTask, ret: number, match: SeccompFilter | null, nr: number, ip: bigint, w: Uint32Array): number | Promise<number> | undefined {
  const action = (ret & 0xffff0000) >>> 0, reason = ret & 0xffff;
  const logged = match?.log ?? false;
  if (t.kernel.strace) t.kernel.log(`[${t.tid}] syscall ${nr}: seccomp verdict 0x${(ret >>> 0).toString(16)}`);
  switch (action) {
    case RET.ALLOW: return undefined;
    case RET.LOG: audit(t, nr, 0, ret); return undefined;
    case RET.ERRNO: if (logged) audit(t, nr, 0, ret); return -Math.min(reason, MAX_ERRNO);
    case RET.USER_NOTIF:
      if (logged) audit(t, nr, 0, ret);
      if (match?.listener && !match.listener.detached) {
        const d = data.slice();
        d[2] = Number(ip & 0xffffffffn); d[3] = Number(ip >> 32n);
        return match.listener.notify(t, new Uint8Array(d.buffer), ip, nr);
      }
      return -E.ENOSYS; // no listener (any more)
    // the tracer decides (PTRACE_EVENT_SECCOMP); without one, ENOSYS
    case RET.TRACE: if (logged) audit(t, nr, 0, ret); return seccompTrace(t, reason);
    case RET.TRAP: {
      if (logged) audit(t, nr, SIG.SIGSYS, ret);
      // the handler sees the registers of the syscall's entry: RAX is the syscall number again (syscall_rollback);
      // blocked or ignored, SIGSYS is unblocked and its action reset, so it kills (force_sig_seccomp)
      forceSignal(t, SIG.SIGSYS, sysInfo(nr, reason, ip));
      return w[0] + w[1] * 2 ** 32;
    }
    default: { // KILL_PROCESS, KILL_THREAD, and any action this kernel does not know
      audit(t, nr, SIG.SIGSYS, ret);
      if (action === RET.KILL_THREAD && liveThreads(t) > 1) return killThread(t, SIG.SIGSYS);
      // the process dies of SIGSYS whatever its handler or mask (force_sig_seccomp with force_coredump)
      t.process.sigactions[SIG.SIGSYS] = { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
      forceSignal(t, SIG.SIGSYS, sysInfo(nr, reason, ip));
      return w[0] + w[1] * 2 ** 32;
    }
  }
}

const liveThreads = (t: KTask): number => [...t.process.threads].filter((o) => !o.dead && !o.threadExit).length;

/** do_exit(sig) of this thread alone: the process ends with it only when it was the last thread. */
function killThread(t: KTask, sig: number): number {
  if (liveThreads(t) > 1) { t.threadExit = true; t.stopRequested = true; } else t.exitGroup(sig);
  return 0;
}

/** seccomp_init_siginfo: si_code SYS_SECCOMP, si_call_addr, si_syscall, si_arch, and the filter's data in si_errno. */
function sysInfo(nr: number, reason: number, ip: bigint) {
  return { code: SYS_SECCOMP, pid: 0, uid: 0, addr: Number(ip), syscall: nr, arch: AUDIT_ARCH_X86_64, errno: reason };
}

let auditSerial = 0;
/** seccomp_log: an AUDIT_SECCOMP record in the kernel log, as kauditd prints it when no audit daemon listens. */
function audit(t: KTask, nr: number, sig: number, ret: number): void {
  const now = Date.now(), c = t.creds;
  t.kernel.kmsg.printk(KERN.NOTICE, `audit: type=1326 audit(${Math.floor(now / 1000)}.${String(now % 1000).padStart(3, '0')}:${++auditSerial}): ` +
    `auid=4294967295 uid=${c.uid} gid=${c.gid} ses=4294967295 pid=${t.tid} comm="${t.process.comm}" exe="${t.process.exe}" ` +
    `sig=${sig} arch=${AUDIT_ARCH_X86_64.toString(16)} syscall=${nr} compat=0 ip=0x${t.cpu.get('rip').toString(16)} code=0x${(ret >>> 0).toString(16)}`);
}
