// A stopped tracee's registers as ptrace(2) shows them (arch/x86/kernel/ptrace.c): struct user_regs_struct
// (GETREGS, NT_PRSTATUS), struct user_fpregs_struct (GETFPREGS, NT_PRFPREG: the FXSAVE image the signal
// frames save) and the struct user offsets of PEEKUSER/POKEUSER.
import type { KTask } from './thread.js';
import type { RegName } from '../cpu/cpu.js';
import { E, err } from './errno.js';
import { restoreFpu, saveFpu } from './signal-frame.js';
import { TASK_SIZE } from '../mm/layout.js';
import { EFLAGS_TF } from './ptrace.js';

/** struct user_regs_struct, in order; cs/ss and the data segments are the fixed 64-bit user selectors. */
const USER_REGS = ['r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi',
  'rdi', 'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs'] as const;
type UserReg = typeof USER_REGS[number];
export const USER_REGS_SIZE = USER_REGS.length * 8;
export const FPREGS_SIZE = 512;
const SEGMENTS: Partial<Record<UserReg, bigint>> = { cs: 0x33n, ss: 0x2bn, ds: 0n, es: 0n, fs: 0n, gs: 0n };
/** struct user: u_debugreg[8] at 848, and its size (error_code and fault_address end it). */
const DEBUGREG = 848, USER_SIZE = 928;
/** The flags a tracer may change (FLAG_MASK: CF PF AF ZF SF TF DF OF RF AC). */
const FLAG_MASK = 0x50dd5n;

function getReg(t: KTask, r: UserReg): bigint {
  if (r === 'orig_rax') return BigInt.asUintN(64, t.ptrace!.origRax);
  const seg = SEGMENTS[r];
  if (seg !== undefined) return seg;
  const v = t.kernel.scheduler.own(t).get(r as RegName);
  return r === 'eflags' && t.ptrace!.forcedTF ? v & ~EFLAGS_TF : v; // single-stepping's own trap flag is hidden
}

/** putreg: segment selectors stay the 64-bit ones (EIO otherwise), bases stay in user space, flags masked. */
function setReg(t: KTask, r: UserReg, v: bigint): void {
  if (r === 'orig_rax') { t.ptrace!.origRax = BigInt.asIntN(64, v); return; }
  const seg = SEGMENTS[r];
  if (seg !== undefined) {
    if (v !== seg) throw err(E.EIO, `ptrace: ${r} can only be 0x${seg.toString(16)} (64-bit user segments only)`);
    return;
  }
  const e = t.kernel.scheduler.own(t);
  if ((r === 'fs_base' || r === 'gs_base') && v >= BigInt(TASK_SIZE)) throw err(E.EIO);
  if (r === 'eflags') {
    const old = e.get('eflags');
    v = (old & ~FLAG_MASK) | (v & FLAG_MASK);
    if (t.ptrace!.forcedTF) { if (v & EFLAGS_TF) t.ptrace!.forcedTF = false; else v |= EFLAGS_TF; } // the tracer's TF is its own
  }
  e.set(r as RegName, v);
}

/** struct user_regs_struct of a stopped tracee. */
export function getUserRegs(t: KTask): Uint8Array {
  const b = new Uint8Array(USER_REGS_SIZE);
  const dv = new DataView(b.buffer);
  USER_REGS.forEach((r, i) => dv.setBigUint64(8 * i, getReg(t, r), true));
  return b;
}

/** Set every register from a struct user_regs_struct (all checked before any is written). */
export function setUserRegs(t: KTask, b: Uint8Array): void {
  const dv = new DataView(b.buffer, b.byteOffset, USER_REGS_SIZE);
  const values = USER_REGS.map((r, i) => [r, dv.getBigUint64(8 * i, true)] as const);
  for (const [r, v] of values) {
    const seg = SEGMENTS[r];
    if (seg !== undefined && v !== seg) throw err(E.EIO, `ptrace: ${r} can only be 0x${seg.toString(16)} (64-bit user segments only)`);
    if ((r === 'fs_base' || r === 'gs_base') && v >= BigInt(TASK_SIZE)) throw err(E.EIO);
  }
  for (const [r, v] of values) setReg(t, r, v);
}

export const getFpRegs = (t: KTask): Uint8Array => saveFpu(t.kernel.scheduler.own(t));
export const setFpRegs = (t: KTask, b: Uint8Array): void => restoreFpu(t.kernel.scheduler.own(t), b);

/** PTRACE_PEEKUSER: a register, a debug register (none is ever set: 0), or 0 elsewhere in struct user. */
export function peekUser(t: KTask, off: number): bigint {
  if (off % 8 || off < 0 || off >= USER_SIZE) throw err(E.EIO);
  return off < USER_REGS_SIZE ? getReg(t, USER_REGS[off / 8]) : 0n;
}

/** PTRACE_POKEUSER: a register; debug registers only keep 0 (hardware breakpoints are not provided). */
export function pokeUser(t: KTask, off: number, v: bigint): void {
  if (off % 8 || off < 0 || off >= USER_SIZE) throw err(E.EIO);
  if (off < USER_REGS_SIZE) return setReg(t, USER_REGS[off / 8], v);
  const n = (off - DEBUGREG) / 8;
  if (n < 0 || n > 7 || n === 4 || n === 5) throw err(E.EIO);
  if (v !== 0n) throw err(E.EIO, 'ptrace: hardware breakpoints (debug registers) are not provided');
}
