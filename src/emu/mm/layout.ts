// Address-space layout and the mm constants of the Linux x86-64 ABI (asm/processor.h, uapi/asm-generic/mman*.h).
// Layout mirrors Linux with randomization off (what gdb shows): PIE at 0x555555554000, the stack top at
// 0x7ffffffff000, mmap_base 128 MiB (the minimum stack gap of mm/util.c mmap_base()) below it, top-down.

export const PAGE = 4096;
/** TASK_SIZE_MAX for 4-level paging: the first address user space cannot map. */
export const TASK_SIZE = 0x7ffffffff000;
/** vm.mmap_min_addr default: MAP_FIXED below is EPERM, hints below are raised. */
export const MMAP_MIN_ADDR = 0x10000;
export const STACK_TOP = TASK_SIZE;
/** RLIMIT_STACK default; the whole stack VMA is mapped at exec (no fault-driven growth: see address-space.ts). */
export const STACK_SIZE = 8 * 1024 * 1024;
/** mm/util.c: MIN_GAP between the stack top and mmap_base. */
export const STACK_GAP = 128 * 1024 * 1024;
export const MMAP_BASE = STACK_TOP - STACK_GAP;
/** Bottom-up fallback start (TASK_UNMAPPED_BASE = PAGE_ALIGN(TASK_SIZE / 3)). */
export const TASK_UNMAPPED_BASE = Math.ceil(TASK_SIZE / 3 / PAGE) * PAGE;
/** arch/x86/include/asm/elf.h ELF_ET_DYN_BASE (2/3 of TASK_SIZE), page aligned: where a PIE goes. */
export const ELF_ET_DYN_BASE = 0x555555554000;
/** MAP_32BIT window on x86-64 (arch/x86/kernel/sys_x86_64.c find_start_end). */
export const MAP32_BASE = 0x40000000;
export const MAP32_END = 0x80000000;

export const PROT = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4, SEM: 8, GROWSDOWN: 0x01000000, GROWSUP: 0x02000000 } as const;

export const MAP = {
  SHARED: 0x01, PRIVATE: 0x02, SHARED_VALIDATE: 0x03, TYPE: 0x0f, FIXED: 0x10, ANONYMOUS: 0x20, '32BIT': 0x40,
  GROWSDOWN: 0x100, DENYWRITE: 0x800, EXECUTABLE: 0x1000, LOCKED: 0x2000, NORESERVE: 0x4000, POPULATE: 0x8000,
  NONBLOCK: 0x10000, STACK: 0x20000, HUGETLB: 0x40000, SYNC: 0x80000, FIXED_NOREPLACE: 0x100000,
  UNINITIALIZED: 0x4000000,
} as const;
/** Flags MAP_SHARED_VALIDATE knows (LEGACY_MAP_MASK | MAP_SYNC, mm/mmap.c); others are EOPNOTSUPP there. */
export const MAP_KNOWN = 0x01 | 0x02 | 0x10 | 0x20 | 0x40 | 0x100 | 0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000
  | 0x10000 | 0x20000 | 0x40000 | 0x80000 | 0x100000 | 0x4000000 | (0x3f << 26);

export const MREMAP = { MAYMOVE: 1, FIXED: 2, DONTUNMAP: 4 } as const;
export const MS = { ASYNC: 1, INVALIDATE: 2, SYNC: 4 } as const;
export const MADV = {
  NORMAL: 0, RANDOM: 1, SEQUENTIAL: 2, WILLNEED: 3, DONTNEED: 4, FREE: 8, REMOVE: 9, DONTFORK: 10, DOFORK: 11,
  MERGEABLE: 12, UNMERGEABLE: 13, HUGEPAGE: 14, NOHUGEPAGE: 15, DONTDUMP: 16, DODUMP: 17, WIPEONFORK: 18,
  KEEPONFORK: 19, COLD: 20, PAGEOUT: 21, POPULATE_READ: 22, POPULATE_WRITE: 23, DONTNEED_LOCKED: 24,
  COLLAPSE: 25, HWPOISON: 100, SOFT_OFFLINE: 101,
} as const;
export const MCL = { CURRENT: 1, FUTURE: 2, ONFAULT: 4 } as const;

export const alignDown = (x: number, a = PAGE): number => x - (x % a);
export const alignUp = (x: number, a = PAGE): number => Math.ceil(x / a) * a;
export const isAligned = (x: number, a = PAGE): boolean => x % a === 0;

/** x86 page tables cannot express write-only or exec-only: any access right implies read (as the CPU does). */
export const effectiveProt = (prot: number): number => (prot & 7) === 0 ? 0 : (prot & 7) | PROT.READ;
