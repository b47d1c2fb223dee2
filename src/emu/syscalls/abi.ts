// Small helpers to read and write the x86-64 ABI structs syscalls exchange (struct timespec, timeval...).
import type { GuestMemory } from '../mm/guest-memory.js';
import { E, err } from '../kernel/errno.js';

/** A zeroed scratch struct of `size` bytes with a little-endian DataView over it. */
export function struct(size: number): { u8: Uint8Array; dv: DataView } {
  const u8 = new Uint8Array(size);
  return { u8, dv: new DataView(u8.buffer) };
}

export const NS_PER_SEC = 1_000_000_000n;

/** struct timespec from guest memory as total nanoseconds; EINVAL for tv_nsec outside [0, 1e9) or tv_sec < 0. */
export function readTimespec(mem: GuestMemory, addr: number): bigint {
  const b = mem.read(addr, 16);
  const dv = new DataView(b.buffer, b.byteOffset, 16);
  const sec = dv.getBigInt64(0, true), nsec = dv.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= NS_PER_SEC) throw err(E.EINVAL);
  return sec * NS_PER_SEC + nsec;
}

export function writeTimespec(mem: GuestMemory, addr: number, ns: bigint): void {
  const s = struct(16);
  s.dv.setBigInt64(0, ns / NS_PER_SEC, true);
  s.dv.setBigInt64(8, ns % NS_PER_SEC, true);
  mem.write(addr, s.u8);
}

export function writeTimeval(mem: GuestMemory, addr: number, ns: bigint): void {
  const s = struct(16);
  s.dv.setBigInt64(0, ns / NS_PER_SEC, true);
  s.dv.setBigInt64(8, (ns % NS_PER_SEC) / 1000n, true);
  mem.write(addr, s.u8);
}

/** struct rusage (144 bytes) with ru_utime and ru_stime filled from nanoseconds; the counters read 0. */
export function encodeRusage(utimeNs: number, stimeNs: number, maxrssBytes: number): Uint8Array {
  const s = struct(144);
  [utimeNs, stimeNs].forEach((ns, i) => {
    s.dv.setBigInt64(16 * i, BigInt(Math.floor(ns / 1e9)), true);
    s.dv.setBigInt64(16 * i + 8, BigInt(Math.floor((ns % 1e9) / 1e3)), true);
  });
  s.dv.setBigInt64(32, BigInt(Math.floor(maxrssBytes / 1024)), true); // ru_maxrss, KiB
  return s.u8;
}

/** A fixed-size NUL-padded char array field (utsname), bytes from a byte string. */
export function putString(u8: Uint8Array, off: number, size: number, s: string): void {
  for (let i = 0; i < Math.min(s.length, size - 1); i++) u8[off + i] = s.charCodeAt(i) & 0xff;
}

/**
 * copy_struct_from_user: an extensible struct (clone_args, open_how) passed with its size. A shorter one
 * reads as zero-extended; a longer one is accepted only if every byte past the `known` ones is zero (E2BIG).
 */
export function readExtensible(mem: GuestMemory, addr: number, size: number, known: number): DataView {
  if (size > known && mem.read(addr + known, size - known).some((b) => b !== 0)) throw err(E.E2BIG);
  const s = struct(known);
  s.u8.set(mem.read(addr, Math.min(size, known)));
  return s.dv;
}
