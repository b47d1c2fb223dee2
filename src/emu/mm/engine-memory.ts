// The part of the CPU engine (src/emu/cpu/engine.ts) the address space drives. Kept as an interface so the
// mm code and its tests do not need the native addon; the real Engine satisfies it structurally.
import type { NativeSharedMemory } from '../cpu/native.js';

export interface MemoryEngine {
  /** Zeroed host block (mmap NORESERVE) mapped at guest addr; its pages start with no access. */
  mapMemory(addr: number, len: number): ArrayBuffer;
  /** Exactly a previous mapMemory range. */
  unmapMemory(addr: number, len: number): void;
  /** Page permissions enforced by the CPU (PROT_READ/WRITE/EXEC bits). */
  protect(addr: number, len: number, prot: number): void;
  /** Show a shared memory object's bytes from offset in [addr, addr+len) (shared between engines). */
  mapShared(addr: number, len: number, shm: NativeSharedMemory, offset: number): void;
  /** madvise(MADV_DONTNEED) of the backing: reads back zero, frees the host pages; shared pages become private zero. */
  discard(addr: number, len: number): void;
  /** mincore of the backing, one byte per page. */
  residency(addr: number, len: number): Uint8Array;
  /** Drop translated code for a range whose bytes the kernel rewrote. */
  flushCode(addr: number, len: number): void;
  /** Pages from addr become bytes + zeros with permissions prot; code survives where bytes are unchanged. */
  load(addr: number, bytes: Uint8Array, prot: number): void;
  /** Whether any page of the range may hold translated code. */
  hasCode(addr: number, len: number): boolean;
  close(): void;
}
