// memfd_create(2) files: an anonymous regular file held in memory (mm/memfd.c on shmem). Reads, writes,
// seeks, truncation, stat and mmap (MAP_SHARED shows the file's own pages), and the seals of
// F_ADD_SEALS/F_GET_SEALS.
import { E, err } from '../kernel/errno.js';
import { FALLOC, O, S_IFREG } from './constants.js';
import type { Mappable, OpenFile } from './file.js';
import { SeekableFile } from './seekable-file.js';
import { SharedSegment } from '../mm/shared-memory.js';
import { type Stat, synthStat } from './stat.js';

const SHMEM_DEV = 0x01;
let nextIno = 50000;
export const SEAL = { SEAL: 1, SHRINK: 2, GROW: 4, WRITE: 8, FUTURE_WRITE: 16 } as const;

/**
 * The file itself, shared by every description that reopens it through /proc/self/fd. Its bytes are a
 * JS array until it is first mapped MAP_SHARED, then the shared segment every mapping shows (and stay
 * there), so read(), write() and the mappings of all processes see one memory.
 */
class MemInode {
  readonly ino = nextIno++;
  data: Uint8Array = new Uint8Array(0);
  size = 0;
  seals = 0;
  readonly mtime = BigInt(Date.now()) * 1_000_000n;
  /** Open descriptions: the last close lets go of the segment (mappings keep it). */
  opens = 0;
  private seg: SharedSegment | null = null;

  resize(n: number): void {
    if (this.seg) {
      this.seg.grow(n);
      this.data = this.seg.u8;
      // bytes past the end read zero when it grows again (stores there through a mapping included)
      this.data.fill(0, Math.min(n, this.size), Math.max(n, this.size));
    } else if (n > this.data.length) {
      const grown = new Uint8Array(Math.max(n, this.data.length * 2, 4096));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    } else if (n < this.size) this.data.fill(0, n, this.size);
    this.size = n;
  }

  /** MAP_SHARED: the bytes move into a shared segment of at least minSize bytes. */
  share(minSize: number): SharedSegment {
    if (!this.seg) {
      this.seg = new SharedSegment(Math.max(minSize, this.size));
      this.seg.u8.set(this.data.subarray(0, this.size));
      this.seg.attach(this);
    }
    this.seg.grow(minSize);
    this.data = this.seg.u8;
    return this.seg;
  }

  close(): void {
    if (--this.opens === 0) this.seg?.detach(this);
  }
}

export class MemFile extends SeekableFile {
  constructor(readonly name: string, flags: number, private readonly inode = new MemInode(), sealable = true) {
    super(O.RDWR | (flags & O.NONBLOCK));
    if (!sealable) inode.seals = SEAL.SEAL;
    inode.opens++;
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
    const inode = this.inode;
    return {
      get size() { return inode.size; }, readAt: (buf, pos) => this.readAt(buf, pos), writeAt: (buf, pos) => this.writeAt(buf, pos),
      shared: (minSize) => this.inode.share(minSize),
    };
  }

  override reopen(flags: number): OpenFile { return new MemFile(this.name, flags, this.inode); }

  protected override release(): void { this.inode.close(); }
}
