// The CPU of one guest address space: a Unicorn x86-64 engine behind our N-API addon (src/emu/native).
// Permissions are enforced in C by a TLB fill hook reading a per-page table; SYSCALL enters JS once
// per call with the arguments already in `sysArgs`.
import { REG_NAMES, type Cpu, type RegName } from './cpu.js';
import { loadNative, type NativeEngine, type NativeSharedMemory } from './native.js';

export const PROT = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4 } as const;
/** The largest block mapMemory takes (V8's largest ArrayBuffer): bigger regions are several blocks. */
export const MAX_BLOCK = 2 ** 32;

export type StopReason =
  | { kind: 'stopped' }                     // stop() was called from the syscall handler
  | { kind: 'timeout' }                     // the slice ended
  /** addr: the faulting byte (x86's CR2), as si_addr reports it. */
  | { kind: 'fault'; addr: number; access: 'read' | 'write' | 'exec'; mapped: boolean; rip: number }
  | { kind: 'interrupt'; intno: number; rip: number }
  | { kind: 'illegal'; rip: number }
  | { kind: 'error'; code: number; message: string; rip: number };

/** Scalar registers beyond the Cpu interface: segment selectors and x87/SSE control state. */
export type ExtraRegName = 'cs' | 'ss' | 'ds' | 'es' | 'fs' | 'gs' | 'mxcsr' | 'fpcw' | 'fpsw' | 'fptag' | 'fop' | 'fip' | 'fdp';
type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
/** Wide registers, read and written as bytes: xmm (16 bytes), st (10 bytes, x87 80-bit). */
export type WideRegName = `xmm${Digit | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15}` | `st${Digit}`;

export type SyscallHandler = () => number | bigint | undefined;

export class Engine implements Cpu {
  /** [nr, a0, a1, a2, a3, a4, a5] of the syscall being handled (a3 is R10); valid inside the handler. */
  readonly sysArgs: BigUint64Array;
  /** The same memory as 32-bit words, two per argument (lo, hi): cheap Number access. */
  readonly sysArgs32: Uint32Array;
  #n: NativeEngine;
  readonly #ids: Record<string, number>;
  readonly #gprIds: Int32Array;

  /** A new engine, or (recycle) a new object over a native engine `uses` processes have had. */
  constructor(native?: NativeEngine, readonly uses = 0) {
    const addon = loadNative();
    this.#n = native ?? new addon.NativeEngine();
    this.#ids = addon.regIds;
    const buf = this.#n.sysArgsBuffer();
    this.sysArgs = new BigUint64Array(buf, 0, 7);
    this.sysArgs32 = new Uint32Array(buf, 0, 14);
    this.#gprIds = Int32Array.from(REG_NAMES, (r) => this.#id(r));
  }

  /**
   * Map zeroed host memory at [addr, addr+len) (page-aligned) with page permissions `prot` (default none:
   * a reservation). Costs no host memory until touched. The ArrayBuffer views the block and stays valid
   * memory even after unmapMemory/close. Throws if the range overlaps an existing mapping, and a
   * RangeError above MAX_BLOCK (4 GiB).
   */
  mapMemory(addr: number, len: number, prot: number = PROT.NONE): ArrayBuffer {
    return this.#n.mapMemory(addr, len, prot);
  }
  /** Unmap exactly one block made by mapMemory (same addr and len). */
  unmapMemory(addr: number, len: number): void { this.#n.unmapMemory(addr, len); }
  /** Set page permissions (PROT bits); effective immediately (TLB flushed). W or X imply R, as on x86. */
  protect(addr: number, len: number, prot: number): void { this.#n.protect(addr, len, prot); }
  /** The permission-table byte of one page: PROT bits, plus 8 when the engine maps it. */
  protAt(addr: number): number { return this.#n.protAt(addr); }
  /**
   * [addr, addr+len) (backed) shows `shm`'s bytes from `offset` (page-aligned; within shm's size): stores
   * here and in every other engine mapping them are one memory. discard() makes the range private again.
   */
  mapShared(addr: number, len: number, shm: NativeSharedMemory, offset: number): void { this.#n.mapShared(addr, len, shm, offset); }
  /** Drop the host pages behind the range: they read back as zero and stop costing memory (shared pages stop being shared). */
  discard(addr: number, len: number): void { this.#n.discard(addr, len); }
  /** One byte per page: 1 when host memory currently backs it. */
  residency(addr: number, len: number): Uint8Array { return this.#n.residency(addr, len); }
  /** Forget translated code in the range; call after writing (from JS) into executable pages. */
  flushCode(addr: number, len: number): void { this.#n.flushCode(addr, len); }
  /**
   * The pages from addr (page-aligned, backed) become `bytes` followed by zeros to the page end, with
   * permissions `prot`. Translated code survives on pages whose bytes do not change.
   */
  load(addr: number, bytes: Uint8Array, prot: number): void { this.#n.load(addr, bytes, prot); }
  /**
   * [addr, addr+len), backed here and in `source`, becomes a copy of source's bytes and page permissions
   * (fork). Translated code survives on pages whose bytes do not change.
   */
  copyFrom(source: Engine, addr: number, len: number): void { this.#n.copyFrom(source.#n, addr, len); }
  /** Whether any page of the range may hold translated code. */
  hasCode(addr: number, len: number): boolean { return this.#n.hasCode(addr, len); }
  /**
   * Ready the engine for another process, keeping its blocks and translated code: a new engine's CPU
   * state, no page accessible, the pages that may hold code keep their bytes, all others read zero.
   * Returns the new owner's Engine object; this one is closed from now on (every call throws).
   */
  recycle(): Engine {
    this.#n.recycle();
    const next = new Engine(this.#n, this.uses + 1);
    this.#n = closedEngine;
    return next;
  }

  /**
   * The syscall handler: called once per SYSCALL with the arguments in sysArgs. Return the result
   * (written to RAX), or undefined to leave RAX alone (a parked task; call stop()). Inside it, RIP reads
   * and writes see Linux's view: the address after the SYSCALL instruction.
   */
  onSyscall(fn: SyscallHandler): void { this.#n.onSyscall(fn); }
  /** From inside the syscall handler: end run() after this syscall (RIP is after the SYSCALL). */
  stop(): void { this.#n.stop(); }
  /** Run from rip until a stop reason; timeoutUs 0 means no time limit. An exception thrown by the syscall handler propagates. */
  run(rip: number, timeoutUs: number): StopReason {
    return this.#n.run(rip, timeoutUs) as StopReason;
  }

  get(r: RegName | ExtraRegName): bigint { return this.#n.regGet(this.#id(r)); }
  set(r: RegName | ExtraRegName, v: bigint | number): void { this.#n.regSet(this.#id(r), v); }
  getBytes(r: WideRegName): Uint8Array { return this.#n.regGetBytes(this.#id(r), r.startsWith('x') ? 16 : 10); }
  setBytes(r: WideRegName, bytes: Uint8Array): void { this.#n.regSetBytes(this.#id(r), bytes); }
  /** All of REG_NAMES (rax..r15, rip, eflags, fs_base, gs_base) in that order, in one native call. */
  readRegs(out: BigUint64Array = new BigUint64Array(REG_NAMES.length)): BigUint64Array {
    this.#n.regReadBatch(this.#gprIds, out);
    return out;
  }
  /** Write all of REG_NAMES from values in that order. */
  writeRegs(values: BigUint64Array): void { this.#n.regWriteBatch(this.#gprIds, values); }

  /** The whole CPU state (GPRs, flags, segments, x87, SSE); restorable on any engine (fork). Freed by GC. */
  saveContext(): object { return this.#n.saveContext(); }
  restoreContext(ctx: object): void { this.#n.restoreContext(ctx); }

  /** Free the engine (deferred to the end of run() when called from the syscall handler). Later calls throw. */
  close(): void { this.#n.close(); }

  #id(r: string): number {
    const id = this.#ids[r];
    if (id === undefined) throw new TypeError(`pbash: unknown register ${r}`);
    return id;
  }
}

/** What a recycled Engine object holds instead: as a closed engine, every call but close() throws. */
const closedEngine = new Proxy({} as NativeEngine, {
  get: (_, name) => (name === 'close' ? () => {} : () => { throw new Error('pbash: the CPU engine is closed'); }),
});

/** The linked Unicorn's version ("2.1"). */
export function unicornVersion(): string { return loadNative().unicornVersion; }
