// The guest-memory accessors syscall handlers use. Every method checks the range against the address
// space's mappings and protections and throws LinuxError(EFAULT) for a bad pointer, as copy_{from,to}_user do.

export interface IoVec { base: number; len: number; }

export interface GuestMemory {
  /**
   * Zero-copy views covering [addr, addr+len), split where the backing changes (usually one view).
   * `write` true checks the range is writable (the guest's own protection), false that it is readable.
   * The views stay valid memory for the caller (never a dangling pointer), even if the guest unmaps meanwhile.
   */
  slices(addr: number, len: number, write: boolean): Uint8Array[];
  /** A copy of [addr, addr+len). */
  read(addr: number, len: number): Uint8Array;
  /** Copy `data` into guest memory at addr. */
  write(addr: number, data: Uint8Array): void;
  /** A NUL-terminated string as a byte string (one char per byte, latin1); ENAMETOOLONG past `max` bytes (default PATH_MAX 4096). */
  cstring(addr: number, max?: number): string;
  /** A NULL-terminated array of string pointers (argv/envp); E2BIG past the limits of execve(2). */
  stringArray(addr: number): string[];
  readU32(addr: number): number;
  writeU32(addr: number, v: number): void;
  readI32(addr: number): number;
  writeI32(addr: number, v: number): void;
  /** 64-bit values as JS numbers (exact below 2^53) and as bigint. */
  readU64(addr: number): number;
  writeU64(addr: number, v: number | bigint): void;
  readBig(addr: number): bigint;
  /** struct iovec[count]; EINVAL when count > IOV_MAX (1024). */
  iovecs(addr: number, count: number): IoVec[];
}
