// A memory object several address spaces map at once (mm/shmem.c's role): MAP_SHARED anonymous memory,
// a shared mapping of /dev/zero, the pages of a memfd or tmpfs file once it is mapped shared, the cached
// pages of a host file mapped shared, a System V segment. Its bytes live in host shared memory (a memfd
// in the addon) that every engine maps over its own blocks (Engine.mapShared), so a store in one
// process is seen by the others at once, and the kernel reads and writes the same bytes through `u8`.
//
// Lifetime: its users are the address spaces with VMAs on it and the objects that own it (a file's inode,
// a SysV segment). The host fd is released when the last user lets go; mappings made before keep the
// pages (the host kernel frees them with the last mapping).
import { loadNative, type NativeSharedMemory } from '../cpu/native.js';
import { PAGE, alignUp } from './layout.js';
import { LinuxError, E } from '../kernel/errno.js';

/** A host refusal (memfd creation, ftruncate: out of memory or fds) as ENOMEM for the guest. */
function host<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new LinuxError(E.ENOMEM, (e as Error).message);
  }
}

export class SharedSegment {
  readonly native: NativeSharedMemory;
  private view: Uint8Array | null = null;
  private readonly users = new Set<object>();
  /** Called once when the last user has gone (a host-file cache writes back and forgets the segment). */
  onRelease: (() => void) | null = null;
  /** Called after any user lets go (a System V segment marked for removal goes with its last attach). */
  onDetach: (() => void) | null = null;

  /** `size` bytes (rounded up to pages), zero. ENOMEM when the host refuses the memory. */
  constructor(size: number) {
    this.native = host(() => new (loadNative().SharedMemory)(alignUp(Math.max(size, PAGE))));
  }

  get size(): number { return this.native.size(); }

  /** At least `n` bytes (page-rounded); the bytes added are zero. Never shrinks. */
  grow(n: number): void {
    if (n <= this.size) return;
    host(() => this.native.grow(alignUp(n)));
    this.view = null;
  }

  /** The whole object's bytes (a new view after growth; older views stay valid over the same memory). */
  get u8(): Uint8Array {
    return (this.view ??= new Uint8Array(this.native.buffer()));
  }

  attach(user: object): void { this.users.add(user); }

  /** `user` no longer maps or owns it; the last one releases the host fd. */
  detach(user: object): void {
    if (!this.users.delete(user)) return;
    this.onDetach?.();
    if (this.users.size) return;
    this.onRelease?.();
    this.native.close();
    this.view = null;
  }

  /** Whether `user` holds it (an address space with a VMA on it). */
  has(user: object): boolean { return this.users.has(user); }

  /** Everyone holding it. */
  get holders(): ReadonlySet<object> { return this.users; }

  /** Bytes of it that hold memory now. */
  get residentBytes(): number { return this.native.resident() * PAGE; }
}
