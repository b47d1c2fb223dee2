// A few hand-assembled x86-64 instructions for the engine tests (bytes, no assembler needed).
const imm32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const imm64 = (v: bigint) => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

// Register numbers in ModRM order.
export const R = { rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7, r8: 8, r9: 9, r10: 10, r11: 11 } as const;
type Reg = keyof typeof R;
const rex = (r: Reg) => 0x48 | (R[r] >= 8 ? 1 : 0);

export const x86 = {
  /** movabs reg, imm64 */
  mov: (r: Reg, v: number | bigint) => [rex(r), 0xb8 + (R[r] & 7), ...imm64(BigInt(v))],
  /** mov qword [rax], imm32 (sign-extended) */
  storeRax: (v: number) => [0x48, 0xc7, 0x00, ...imm32(v)],
  /** mov rbx, qword [rax] */
  loadRbxFromRax: () => [0x48, 0x8b, 0x18],
  /** mov rbx, rax */
  movRbxRax: () => [0x48, 0x89, 0xc3],
  incRbx: () => [0x48, 0xff, 0xc3],
  addRbxRcx: () => [0x48, 0x01, 0xcb],
  decRcx: () => [0x48, 0xff, 0xc9],
  /** jnz rel8 back to `target` bytes before the end of this instruction */
  jnzBack: (n: number) => [0x75, (-n - 2) & 0xff],
  jmpBack: (n: number) => [0xeb, (-n - 2) & 0xff],
  jmpRax: () => [0xff, 0xe0],
  xorEcxEcx: () => [0x31, 0xc9],
  xorEdxEdx: () => [0x31, 0xd2],
  movEax: (v: number) => [0xb8, ...imm32(v)],
  divEcx: () => [0xf7, 0xf1],
  cpuid: () => [0x0f, 0xa2],
  syscall: () => [0x0f, 0x05],
  int3: () => [0xcc],
  int80: () => [0xcd, 0x80],
  ud2: () => [0x0f, 0x0b],
  hlt: () => [0xf4],
};

/** Concatenate instruction byte lists. */
export const code = (...parts: number[][]) => Uint8Array.from(parts.flat());
