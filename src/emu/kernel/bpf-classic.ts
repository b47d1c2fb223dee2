// Classic BPF (struct sock_filter programs) as seccomp accepts and runs them: the install-time checks of
// net/core/filter.c bpf_check_classic plus seccomp's own opcode whitelist (kernel/seccomp.c
// seccomp_check_filter), and an interpreter over the 64-byte struct seccomp_data.
import { E, err } from './errno.js';

/** BPF_MAXINSNS: the most instructions one program may have. */
export const BPF_MAXINSNS = 4096;
/** BPF_MEMWORDS: the scratch memory M[0..15]. */
const MEMWORDS = 16;
/** sizeof(struct seccomp_data): what BPF_LEN loads and the bound of absolute loads. */
const SECCOMP_DATA_SIZE = 64;

// opcode = class | size | mode (loads), class | op | source (ALU, jumps), class | source (RET)
const LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06, MISC = 0x07;
const ABS = 0x20, MEM = 0x60, LEN = 0x80; // with size BPF_W (0) and BPF_IMM (0)
const X = 0x08, RET_A = 0x10, TXA = 0x80;
const ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60, RSH = 0x70, NEG = 0x80, XOR = 0xa0;
const JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;

const ALU_OPS = [ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, XOR];
/** Every opcode a seccomp filter may hold (BPF_MOD and the packet loads of byte/half/indirect size are not among them). */
const ALLOWED = new Set<number>([
  LD | ABS, LD | LEN, LDX | LEN, LD, LDX, LD | MEM, LDX | MEM, ST, STX, MISC, MISC | TXA, RET, RET | RET_A,
  ALU | NEG, JMP | JA,
  ...ALU_OPS.flatMap((op) => [ALU | op, ALU | op | X]),
  ...[JEQ, JGT, JGE, JSET].flatMap((op) => [JMP | op, JMP | op | X]),
]);

/** A checked program, one array per struct sock_filter field. */
export interface BpfProgram {
  readonly code: Uint16Array;
  readonly jt: Uint8Array;
  readonly jf: Uint8Array;
  readonly k: Uint32Array;
  /** It loads seccomp_data.instruction_pointer (offsets 8 and 12). */
  readonly readsIp: boolean;
}

/** Decode `len` struct sock_filter (code u16, jt u8, jf u8, k u32) and check them; EINVAL for a program seccomp refuses. */
export function checkProgram(raw: Uint8Array, len: number): BpfProgram {
  if (len === 0 || len > BPF_MAXINSNS) throw err(E.EINVAL);
  const dv = new DataView(raw.buffer, raw.byteOffset, len * 8);
  const p = { code: new Uint16Array(len), jt: new Uint8Array(len), jf: new Uint8Array(len), k: new Uint32Array(len), readsIp: false };
  for (let pc = 0; pc < len; pc++) {
    const code = dv.getUint16(pc * 8, true), jt = dv.getUint8(pc * 8 + 2), jf = dv.getUint8(pc * 8 + 3);
    const k = dv.getUint32(pc * 8 + 4, true);
    if (!ALLOWED.has(code)) throw err(E.EINVAL, `seccomp: opcode 0x${code.toString(16)} at ${pc} is not allowed`);
    const bad =
      ((code === (ALU | DIV)) && k === 0) ||
      ((code === (ALU | LSH) || code === (ALU | RSH)) && k >= 32) ||
      ((code === (LD | MEM) || code === (LDX | MEM) || code === ST || code === STX) && k >= MEMWORDS) ||
      (code === (LD | ABS) && (k >= SECCOMP_DATA_SIZE || (k & 3) !== 0)) ||
      (code === (JMP | JA) && k >= len - pc - 1) ||
      ((code & 7) === JMP && code !== (JMP | JA) && (pc + jt + 1 >= len || pc + jf + 1 >= len));
    if (bad) throw err(E.EINVAL, `seccomp: instruction ${pc} is out of range`);
    p.code[pc] = code; p.jt[pc] = jt; p.jf[pc] = jf; p.k[pc] = k;
    if (code === (LD | ABS) && (k === 8 || k === 12)) p.readsIp = true;
  }
  const last = p.code[len - 1];
  if (last !== RET && last !== (RET | RET_A)) throw err(E.EINVAL, 'seccomp: the last instruction is not a return');
  checkScratch(p);
  return p;
}

/**
 * Instructions the program becomes when Linux converts it to eBPF (net/core/filter.c bpf_convert_filter):
 * what seccomp counts against its per-path limit. A 3-instruction prologue; RET K, a jump with a negative
 * constant and a two-way jump whose targets are both further on take one more; DIV X checks for zero first.
 */
export function ebpfLength(p: BpfProgram): number {
  let n = 3;
  for (let pc = 0; pc < p.code.length; pc++) {
    const c = p.code[pc];
    if (c === RET) n += 2;
    else if (c === (ALU | DIV | X)) n += 5;
    else if ((c & 7) === JMP && c !== (JMP | JA)) {
      const op = c & 0xf0;
      n += (c & X) === 0 && (p.k[pc] | 0) < 0 ? 1 : 0;
      n += p.jf[pc] === 0 || (p.jt[pc] === 0 && op !== JSET) ? 1 : 2;
    } else n += 1;
  }
  return n;
}

/**
 * Every read of scratch memory M[k] follows a store to it on every path that reaches it (filter.c
 * check_load_and_stores): a forward pass carrying the set of written words, met at jump targets.
 */
function checkScratch(p: BpfProgram): void {
  const n = p.code.length;
  const atTarget = new Uint16Array(n).fill(0xffff);
  let valid = 0;
  for (let pc = 0; pc < n; pc++) {
    valid &= atTarget[pc];
    const code = p.code[pc], k = p.k[pc];
    if (code === ST || code === STX) valid |= 1 << k;
    else if (code === (LD | MEM) || code === (LDX | MEM)) {
      if (!(valid & (1 << k))) throw err(E.EINVAL, `seccomp: M[${k}] is read at ${pc} before any store`);
    } else if (code === (JMP | JA)) {
      atTarget[pc + 1 + k] &= valid;
      valid = 0xffff;
    } else if ((code & 7) === JMP) {
      atTarget[pc + 1 + p.jt[pc]] &= valid;
      atTarget[pc + 1 + p.jf[pc]] &= valid;
      valid = 0xffff;
    } else if ((code & 7) === RET) valid = 0xffff;
  }
}

/**
 * Run a checked program over seccomp_data as sixteen 32-bit words; returns its 32-bit verdict. Jumps only go
 * forward, so it ends within the program's length. A division by X = 0 ends it with 0, as classic BPF does.
 */
export function runProgram(p: BpfProgram, data: Uint32Array, mem: Uint32Array): number {
  let a = 0, x = 0;
  const { code, k } = p;
  for (let pc = 0; ; pc++) {
    const c = code[pc], kk = k[pc];
    switch (c) {
      case LD | ABS: a = data[kk >>> 2]; break;
      case LD | LEN: a = SECCOMP_DATA_SIZE; break;
      case LDX | LEN: x = SECCOMP_DATA_SIZE; break;
      case LD: a = kk; break;
      case LDX: x = kk; break;
      case LD | MEM: a = mem[kk]; break;
      case LDX | MEM: x = mem[kk]; break;
      case ST: mem[kk] = a; break;
      case STX: mem[kk] = x; break;
      case MISC: x = a; break;
      case MISC | TXA: a = x; break;
      case RET: return kk;
      case RET | RET_A: return a;
      case ALU | NEG: a = -a >>> 0; break;
      case JMP | JA: pc += kk; break;
      default:
        if ((c & 7) === ALU) {
          const v = c & X ? x : kk;
          if ((c & 0xf0) === DIV && v === 0) return 0;
          a = alu(c & 0xf0, a, v);
        } else {
          const v = c & X ? x : kk;
          pc += jump(c & 0xf0, a, v) ? p.jt[pc] : p.jf[pc];
        }
    }
  }
}

function alu(op: number, a: number, v: number): number {
  switch (op) {
    case ADD: return (a + v) >>> 0;
    case SUB: return (a - v) >>> 0;
    case MUL: return Math.imul(a, v) >>> 0;
    case DIV: return Math.floor(a / v) >>> 0;
    case OR: return (a | v) >>> 0;
    case AND: return (a & v) >>> 0;
    case XOR: return (a ^ v) >>> 0;
    case LSH: return (a << (v & 31)) >>> 0; // a shift by X counts modulo 32, as the kernel's BPF does
    default: return a >>> (v & 31); // RSH
  }
}

function jump(op: number, a: number, v: number): boolean {
  switch (op) {
    case JEQ: return a === v;
    case JGT: return a > v;
    case JGE: return a >= v;
    default: return (a & v) !== 0; // JSET
  }
}
