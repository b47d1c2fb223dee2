// The x86-64 signal frame (arch/x86/kernel/signal.c, asm/sigframe.h): what a handler finds on its stack
// and what rt_sigreturn(2) restores. Layout of struct rt_sigframe:
//   0 pretcode (sa_restorer) | 8 struct ucontext (304 bytes) | 312 siginfo (128) ; fxsave area apart, 64-aligned.
// ucontext: 0 uc_flags, 8 uc_link, 16 uc_stack (sp, flags, size), 40 sigcontext (gregs in glibc's
// REG_R8..REG_CR2 order, then fpstate pointer at +184), 296 uc_sigmask.
import type { KTask } from './thread.js';
import type { Engine } from '../cpu/engine.js';
import type { SigInfo } from './signal-deliver.js';
import { SIG } from './signals.js';
import { REG_NAMES } from '../cpu/cpu.js';

const UCONTEXT = 8, SIGINFO = 312, FRAME_SIZE = 440, FXSAVE_SIZE = 512;
const MCONTEXT = UCONTEXT + 40, SIGMASK = UCONTEXT + 296;
/** Order of the general registers in struct sigcontext / glibc's gregs[]. */
const GREGS = ['r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rdi', 'rsi', 'rbp', 'rbx', 'rdx', 'rax',
  'rcx', 'rsp', 'rip', 'eflags'] as const;
const UC_SIGCONTEXT_SS = 2, UC_STRICT_RESTORE_SS = 4;
const SS_ONSTACK = 1, SS_DISABLE = 2;
/** Flags a handler may not change on return, and the ones it may (arch/x86/kernel/signal.c FIX_EFLAGS). */
const FIX_EFLAGS = 0x40dd5n; // AC|OF|DF|TF|SF|ZF|AF|PF|CF|RF
const DF_TF_RF = 0x10500n;
const RED_ZONE = 128;
/** Addresses exceed 32 bits: align with arithmetic, not with JS's 32-bit bitwise operators. */
const alignDown = (x: number, a: number): number => x - (x % a);

export interface AltStack { sp: number; size: number; flags: number; }

/** si_* fields of struct siginfo for the kinds of senders the kernel has. */
export function encodeSiginfo(sig: number, info: SigInfo): Uint8Array {
  const b = new Uint8Array(128);
  const dv = new DataView(b.buffer);
  dv.setInt32(0, sig, true);
  dv.setInt32(8, info.code, true);
  if (info.errno !== undefined) dv.setInt32(4, info.errno, true);
  if (info.addr !== undefined) {
    dv.setBigUint64(16, BigInt(info.addr), true); // SIGSEGV/SIGBUS/SIGILL/SIGFPE: si_addr; SIGSYS: si_call_addr
    if (info.syscall !== undefined) { dv.setInt32(24, info.syscall, true); dv.setUint32(28, info.arch ?? 0, true); }
  } else if (info.timerid !== undefined) {
    dv.setInt32(16, info.timerid, true); // SI_TIMER: si_timerid, si_overrun, si_value
    dv.setInt32(20, info.overrun ?? 0, true);
  } else {
    dv.setInt32(16, info.pid, true);
    dv.setInt32(20, info.uid, true);
    if (sig === SIG.SIGCHLD) dv.setInt32(24, info.status ?? 0, true);
  }
  if (info.value !== undefined) dv.setBigUint64(24, BigInt.asUintN(64, info.value), true);
  return b;
}

/** The FPU/SSE state as FXSAVE lays it out (the kernel's struct _fpstate_64). */
export function saveFpu(e: Engine): Uint8Array {
  const b = new Uint8Array(FXSAVE_SIZE);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, Number(e.get('fpcw')), true);
  dv.setUint16(2, Number(e.get('fpsw')), true);
  const tag = Number(e.get('fptag'));
  let abridged = 0;
  for (let i = 0; i < 8; i++) if (((tag >> (2 * i)) & 3) !== 3) abridged |= 1 << i;
  b[4] = abridged;
  dv.setUint32(24, Number(e.get('mxcsr')), true);
  dv.setUint32(28, 0xffff, true);
  for (let i = 0; i < 8; i++) b.set(e.getBytes(`st${i}` as 'st0').subarray(0, 10), 32 + 16 * i);
  for (let i = 0; i < 16; i++) b.set(e.getBytes(`xmm${i}` as 'xmm0'), 160 + 16 * i);
  return b;
}

export function restoreFpu(e: Engine, b: Uint8Array): void {
  const dv = new DataView(b.buffer, b.byteOffset, FXSAVE_SIZE);
  e.set('fpcw', dv.getUint16(0, true));
  e.set('fpsw', dv.getUint16(2, true));
  let tag = 0;
  for (let i = 0; i < 8; i++) if (!(b[4] & (1 << i))) tag |= 3 << (2 * i);
  e.set('fptag', tag);
  e.set('mxcsr', dv.getUint32(24, true) & 0xffff);
  for (let i = 0; i < 8; i++) e.setBytes(`st${i}` as 'st0', b.slice(32 + 16 * i, 42 + 16 * i));
  for (let i = 0; i < 16; i++) e.setBytes(`xmm${i}` as 'xmm0', b.slice(160 + 16 * i, 176 + 16 * i));
}

/**
 * Push a frame for `sig` and point the CPU at the handler (setup_rt_frame). `oldmask` is the mask to
 * restore on return; `alt` the sigaltstack when the handler has SA_ONSTACK. Throws LinuxError(EFAULT)
 * when the stack is not writable: the caller then forces SIGSEGV.
 */
export function pushFrame(t: KTask, sig: number, info: SigInfo, handler: bigint, restorer: bigint,
  oldmask: bigint, alt: AltStack | null, trapno = 0): void {
  const e = t.engine;
  const regs = e.readRegs();
  const named: Record<string, bigint> = {};
  REG_NAMES.forEach((r, i) => { named[r] = regs[i]; });
  const rsp = Number(named.rsp);
  const onAlt = alt !== null && !(rsp > alt.sp && rsp <= alt.sp + alt.size);
  let sp = onAlt ? alt.sp + alt.size : rsp - RED_ZONE;
  sp = alignDown(sp - FXSAVE_SIZE, 64);
  const fpAddr = sp;
  sp = alignDown(sp - FRAME_SIZE, 16) - 8; // as if called: (rsp + 8) is 16-aligned at the handler's entry
  const frame = new Uint8Array(FRAME_SIZE);
  const dv = new DataView(frame.buffer);
  dv.setBigUint64(0, restorer, true);
  dv.setBigUint64(UCONTEXT, BigInt(UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS), true);
  dv.setBigUint64(UCONTEXT + 16, BigInt(alt?.sp ?? 0), true);
  dv.setInt32(UCONTEXT + 24, alt ? SS_ONSTACK : SS_DISABLE, true);
  dv.setBigUint64(UCONTEXT + 32, BigInt(alt?.size ?? 0), true);
  GREGS.forEach((r, i) => dv.setBigUint64(MCONTEXT + 8 * i, named[r], true));
  dv.setBigUint64(MCONTEXT + 144, 0x2b000000000033n, true); // cs 0x33, ss 0x2b: a 64-bit user frame
  dv.setBigUint64(MCONTEXT + 160, BigInt(trapno), true);
  dv.setBigUint64(MCONTEXT + 168, oldmask, true);
  dv.setBigUint64(MCONTEXT + 176, BigInt(info.addr ?? 0), true); // cr2
  dv.setBigUint64(MCONTEXT + 184, BigInt(fpAddr), true);
  dv.setBigUint64(SIGMASK, oldmask, true);
  frame.set(encodeSiginfo(sig, info), SIGINFO);
  t.mem.write(fpAddr, saveFpu(e));
  t.mem.write(sp, frame);
  e.set('rdi', sig);
  e.set('rsi', sp + SIGINFO);
  e.set('rdx', sp + UCONTEXT);
  e.set('rax', 0);
  e.set('rsp', sp);
  e.set('rip', handler);
  e.set('eflags', named.eflags & ~DF_TF_RF);
}

/** rt_sigreturn(2): registers, flags, FPU state and the signal mask from the frame at rsp - 8. */
export function popFrame(t: KTask): { mask: bigint; rax: bigint } {
  const e = t.engine;
  const base = Number(e.get('rsp')) - 8;
  const frame = t.mem.read(base, FRAME_SIZE);
  const dv = new DataView(frame.buffer, frame.byteOffset, FRAME_SIZE);
  const v = (i: number): bigint => dv.getBigUint64(MCONTEXT + 8 * i, true);
  const oldFlags = e.get('eflags');
  GREGS.forEach((r, i) => {
    if (r === 'eflags') e.set('eflags', (oldFlags & ~FIX_EFLAGS) | (v(i) & FIX_EFLAGS));
    else e.set(r, v(i));
  });
  const fp = Number(dv.getBigUint64(MCONTEXT + 184, true));
  if (fp) restoreFpu(e, t.mem.read(fp, FXSAVE_SIZE));
  return { mask: dv.getBigUint64(SIGMASK, true), rax: v(GREGS.indexOf('rax')) };
}
