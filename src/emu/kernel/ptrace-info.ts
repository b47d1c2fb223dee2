// What PTRACE_GET_SYSCALL_INFO and PTRACE_SETSIGINFO carry (kernel/ptrace.c ptrace_get_syscall_info,
// include/uapi/linux/ptrace.h struct ptrace_syscall_info; the siginfo layouts of signal-frame.ts).
import type { KTask } from './thread.js';
import type { Tracee } from './ptrace.js';
import type { SigInfo } from './signal-deliver.js';
import { SIG } from './signals.js';

const OP_NONE = 0, OP_ENTRY = 1, OP_EXIT = 2, OP_SECCOMP = 3;
const AUDIT_ARCH_X86_64 = 0xc000003e;
const ARGS = ['rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9'] as const;
/** The signals whose siginfo carries si_addr (when sent by the kernel: si_code > 0). */
const FAULTS = new Set<number>([SIG.SIGSEGV, SIG.SIGBUS, SIG.SIGILL, SIG.SIGFPE, SIG.SIGTRAP]);

/** struct ptrace_syscall_info of the tracee's current stop: its full size is the length of the result. */
export function syscallInfo(t: KTask, tr: Tracee): Uint8Array {
  const e = t.kernel.scheduler.own(t);
  const kind = tr.stop?.kind;
  const op = kind === 'syscall-enter' ? OP_ENTRY : kind === 'syscall-exit' ? OP_EXIT
    : kind === 'event' && tr.stop!.rewind ? OP_SECCOMP : OP_NONE;
  const b = new Uint8Array(op === OP_ENTRY ? 80 : op === OP_EXIT ? 33 : op === OP_SECCOMP ? 84 : 24);
  const dv = new DataView(b.buffer);
  b[0] = op;
  dv.setUint32(4, AUDIT_ARCH_X86_64, true);
  dv.setBigUint64(8, e.get('rip'), true);
  dv.setBigUint64(16, e.get('rsp'), true);
  if (op === OP_ENTRY || op === OP_SECCOMP) {
    dv.setBigInt64(24, tr.origRax, true);
    ARGS.forEach((r, i) => dv.setBigUint64(32 + 8 * i, e.get(r), true));
    if (op === OP_SECCOMP) dv.setUint32(80, Number(tr.eventMsg), true); // ret_data
  } else if (op === OP_EXIT) {
    const rval = BigInt.asIntN(64, e.get('rax'));
    dv.setBigInt64(24, rval, true);
    b[32] = rval < 0n && rval >= -4095n ? 1 : 0; // IS_ERR_VALUE
  }
  return b;
}

/** A siginfo a tracer wrote (PTRACE_SETSIGINFO): its signal and the fields pbash keeps. */
export function decodeSiginfo(b: Uint8Array): { sig: number; info: SigInfo } {
  const dv = new DataView(b.buffer, b.byteOffset, 128);
  const sig = dv.getInt32(0, true), code = dv.getInt32(8, true);
  if (FAULTS.has(sig) && code > 0) return { sig, info: { code, pid: 0, uid: 0, addr: Number(dv.getBigUint64(16, true)) } };
  const info: SigInfo = { code, pid: dv.getInt32(16, true), uid: dv.getUint32(20, true) };
  if (sig === SIG.SIGCHLD) info.status = dv.getInt32(24, true);
  else if (code < 0) info.value = dv.getBigUint64(24, true); // sigqueue, timers, mq: si_value
  return { sig, info };
}
