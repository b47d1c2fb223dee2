// Loads the CPU addon (src/emu/native, built by node-gyp). Found from the package root, so the same code
// works from src/ (tsx) and from dist/ (compiled).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The addon's engine object; the typed surface is Engine in engine.ts. */
export interface NativeEngine {
  close(): void;
  onSyscall(fn: () => unknown): void;
  sysArgsBuffer(): ArrayBuffer;
  stop(): void;
  run(rip: number | bigint, timeoutUs: number): unknown;
  mapMemory(addr: number, len: number, prot?: number): ArrayBuffer;
  unmapMemory(addr: number, len: number): void;
  protect(addr: number, len: number, prot: number): void;
  protAt(addr: number): number;
  mapShared(addr: number, len: number, shm: NativeSharedMemory, offset: number): void;
  discard(addr: number, len: number): void;
  residency(addr: number, len: number): Uint8Array;
  flushCode(addr: number, len: number): void;
  load(addr: number, bytes: Uint8Array, prot: number): void;
  copyFrom(source: NativeEngine, addr: number, len: number): void;
  recycle(): void;
  hasCode(addr: number, len: number): boolean;
  regGet(id: number): bigint;
  regSet(id: number, v: bigint | number): void;
  regGetBytes(id: number, size: number): Uint8Array;
  regSetBytes(id: number, bytes: Uint8Array): void;
  regReadBatch(ids: Int32Array, out: BigUint64Array): void;
  regWriteBatch(ids: Int32Array, values: BigUint64Array): void;
  saveContext(): object;
  restoreContext(ctx: object): void;
}

/** Host shared memory (a memfd), mapped into engines by mapShared; see src/emu/mm/shared-memory.ts. */
export interface NativeSharedMemory {
  size(): number;
  /** At least len bytes (page-rounded, never shrinks); returns the size. */
  grow(len: number): number;
  /** A new ArrayBuffer over [0, size()) (own host mapping, freed with the buffer). */
  buffer(): ArrayBuffer;
  /** Pages holding memory now (SHM_INFO's shm_rss, /proc/sysvipc/shm rss). */
  resident(): number;
  /** Release the host fd: nothing more can be mapped; existing mappings keep the memory. */
  close(): void;
}

export interface NativeAddon {
  NativeEngine: new () => NativeEngine;
  SharedMemory: new (len: number) => NativeSharedMemory;
  regIds: Record<string, number>;
  unicornVersion: string;
  /** mknod(2) on the host: 0 or the host errno. */
  hostMknod(path: Buffer, mode: number, dev: number): number;
  /** poll(2) of a host fd for input, timeout 0: Linux POLLIN/POLLERR/POLLHUP bits, or -errno. */
  hostPoll(fd: number): number;
  /** utimensat(2) on the host, final symlink not followed; a nsec of UTIME_OMIT keeps that time: 0 or the host errno. */
  hostUtimens(path: Buffer, atimeSec: number, atimeNsec: number, mtimeSec: number, mtimeNsec: number): number;
  /** lseek(2) of a host fd (whence 0 SET, 1 CUR, 2 END): the new offset, or -errno. */
  hostSeek(fd: number, offset: number, whence: number): number;
  /** getsockname(2)/getpeername(2) of a host socket as a Linux sockaddr, or -errno (host numbering). */
  hostSockName(fd: number, peer: boolean): Buffer | number;
  /** getsockopt(2) at SOL_SOCKET of a host socket, `opt` a Linux SO_* number: the int value, or -errno (host numbering). */
  hostSockOpt(fd: number, opt: number): number;
}

const ADDON = path.join('src', 'emu', 'native', 'build', 'Release', 'pbash_cpu.node');

function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'emu', 'native'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('pbash: cannot find the package root of the CPU addon');
    dir = up;
  }
}

let addon: NativeAddon | undefined;

/** The addon, loaded once; a missing build is one clear line. */
export function loadNative(): NativeAddon {
  if (addon) return addon;
  const file = path.join(packageRoot(), ADDON);
  if (!fs.existsSync(file)) throw new Error('pbash: the CPU addon is not built: run npm run build');
  const loaded = createRequire(import.meta.url)(file) as NativeAddon;
  // A worktree's addon is a copy built from older sources until it is rebuilt: say so instead of failing later.
  if (typeof loaded.SharedMemory?.prototype.resident !== 'function' || typeof loaded.hostPoll !== 'function' ||
    typeof loaded.hostUtimens !== 'function' || typeof loaded.hostSeek !== 'function' || typeof loaded.hostSockName !== 'function') {
    throw new Error('pbash: the CPU addon is older than its sources: run npm run build:native');
  }
  addon = loaded;
  return addon;
}
