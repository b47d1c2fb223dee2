// Register access for one thread, as syscall handlers see it.
export const REG_NAMES = [
  'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
  'rip', 'eflags', 'fs_base', 'gs_base',
] as const;
export type RegName = typeof REG_NAMES[number];

export interface Cpu {
  get(r: RegName): bigint;
  set(r: RegName, v: bigint | number): void;
}
