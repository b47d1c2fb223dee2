// memfd_create(2) files: an anonymous regular file held in memory (mm/memfd.c on shmem). Reads, writes,
// seeks, truncation, stat and mmap (a private copy: shared mappings are not shared yet), and the seals
// of F_ADD_SEALS/F_GET_SEALS.
import { E, err } from '../kernel/errno.js';
import { FALLOC, O, S_IFREG } from './constants.js';
import type { Mappable, OpenFile } from './file.js';
import { SeekableFile } from './seekable-file.js';
import { type Stat, synthStat } from './stat.js';

const SHMEM_DEV = 0x01;
let nextIno = 50000;
export const SEAL = { SEAL: 1, SHRINK: 2, GROW: 4, WRITE: 8, FUTURE_WRITE: 16 } as const;

/** The file itself, shared by every description that reopens it through /proc/self/fd. */
class MemInode {
  readonly ino = nextIno++;
  data = new Uint8Array(0);
  size = 0;
  seals = 0;
  readonly mtime = BigInt(Date.now()) * 1_000_000n;

  resize(n: number): void {
    if (n > this.data.length) {
      const grown = new Uint8Array(Math.max(n, this.data.length * 2, 4096));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    } else if (n < this.size) this.data.fill(0, n, this.size);
    this.size = n;
  }
}

export class MemFile extends SeekableFile {
  constructor(readonly name: string, flags: number, private readonly inode = new MemInode(), sealable = true) {
    super(O.RDWR | (flags & O.NONBLOCK));
    if (!sealable) inode.seals = SEAL.SEAL;
  }

  stat(): Stat {
    const n = this.inode;
    return synthStat(SHMEM_DEV, n.ino, S_IFREG | 0o777, { size: n.size, blocks: Math.ceil(n.size / 512) });
  }
  override anonName(): string { return `/memfd:${this.name} (deleted)`; }
  get seals(): number { return this.inode.seals; }

  /** F_ADD_SEALS: EPERM once F_SEAL_SEAL is set. */
  addSeals(s: number): void {
    if (s & ~0x1f) throw err(E.EINVAL);
    if (this.inode.seals & SEAL.SEAL) throw err(E.EPERM);
    this.inode.seals |= s;
  }

  protected size(): number { return this.inode.size; }

  protected readAt(buf: Uint8Array, pos: number): number {
    const n = Math.max(0, Math.min(buf.length, this.inode.size - pos));
    buf.set(this.inode.data.subarray(pos, pos + n));
    return n;
  }

  protected writeAt(buf: Uint8Array, pos: number): number {
    const ino = this.inode;
    if (ino.seals & (SEAL.WRITE | SEAL.FUTURE_WRITE)) throw err(E.EPERM);
    const end = pos + buf.length;
    if (end > ino.size) {
      if (ino.seals & SEAL.GROW) throw err(E.EPERM);
      ino.resize(end);
    }
    ino.data.set(buf, pos);
    return buf.length;
  }

  override truncate(size: number): void {
    const ino = this.inode;
    if ((size < ino.size && ino.seals & SEAL.SHRINK) || (size > ino.size && ino.seals & SEAL.GROW)) throw err(E.EPERM);
    ino.resize(size);
  }

  override allocate(off: number, len: number): void { if (this.inode.size < off + len) this.truncate(off + len); }
  // a memfd is shmem: preallocation and hole punching only (a punch is a write to a sealed file)
  protected override readonly fallocModes: number = FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE;

  override mappable(): Mappable {
    return { size: this.inode.size, readAt: (buf, pos) => this.readAt(buf, pos), writeAt: (buf, pos) => this.writeAt(buf, pos) };
  }

  override reopen(flags: number): OpenFile { return new MemFile(this.name, flags, this.inode); }
}
