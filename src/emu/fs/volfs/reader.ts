// Walking a VolFs store from outside the kernel (image export): every entry depth-first, parents before
// children, names in byte order, with full metadata, xattrs, and a stream of a regular file's contents.
// A second name of an inode already seen comes as a hard link to the first path (as tar records them).
// Reading a store that a running kernel uses is safe (SQLite readers see committed transactions).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { Readable } from 'node:stream';
import { S_IFDIR, S_IFMT, S_IFREG } from '../constants.js';
import { Blobs } from './blobs.js';
import { DB_FILE, type InodeRow, ROOT_INO, Store } from './store.js';

export interface VolEntry {
  /** Byte string (latin1) path relative to the root, no leading "/"; "" is the root directory itself. */
  path: string;
  ino: bigint;
  /** Type and permission bits (st_mode). */
  mode: number;
  uid: number;
  gid: number;
  /** Device number (makedev encoding) of character and block devices, else 0. */
  rdev: number;
  /** Bytes of a regular file (0 for a hard link to an earlier path), a symlink's target length. */
  size: number;
  nlink: number;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  btimeNs: bigint;
  /** A symlink's target (latin1 byte string). */
  target: string | null;
  /** Set when this inode was already given under that earlier path: a hard link. */
  linkTo: string | null;
  xattrs: Map<string, Buffer>;
  /** The contents of a regular file (an empty stream for other types). */
  contents(): Readable;
}

export class VolReader {
  private readonly store: Store;
  private readonly blobs: Blobs;

  constructor(distroDir: string) {
    if (!fs.existsSync(nodePath.join(distroDir, DB_FILE))) throw new Error(`${distroDir}: not a VolFs distro directory`);
    this.store = new Store(distroDir);
    this.blobs = new Blobs(distroDir);
  }

  *entries(): Generator<VolEntry> {
    const seen = new Map<bigint, string>();
    const stack: { ino: bigint; path: string }[] = [{ ino: ROOT_INO, path: '' }];
    while (stack.length) {
      const { ino, path } = stack.pop()!;
      const r = this.store.get(ino);
      if (!r) continue;
      const first = (r.mode & S_IFMT) !== S_IFDIR ? seen.get(ino) ?? null : null;
      if (first === null) seen.set(ino, path);
      yield this.entry(r, path, first);
      if ((r.mode & S_IFMT) !== S_IFDIR) continue;
      const kids = this.store.list(ino).sort((a, b) => Buffer.compare(Buffer.from(b.name, 'latin1'), Buffer.from(a.name, 'latin1')));
      for (const k of kids) stack.push({ ino: k.ino, path: path ? `${path}/${k.name}` : k.name });
    }
  }

  private entry(r: InodeRow, path: string, linkTo: string | null): VolEntry {
    const reg = (r.mode & S_IFMT) === S_IFREG && linkTo === null;
    const blob = this.blobs.path(r.ino);
    return {
      path, ino: r.ino, mode: r.mode, uid: r.uid, gid: r.gid, rdev: r.rdev, nlink: r.nlink,
      size: reg ? this.blobs.size(r.ino).size : (r.target?.length ?? 0),
      atimeNs: r.atime, mtimeNs: r.mtime, ctimeNs: r.ctime, btimeNs: r.btime, target: r.target, linkTo,
      xattrs: this.store.allXattrs(r.ino),
      contents: () => (reg ? fs.createReadStream(blob) : Readable.from([])),
    };
  }

  close(): void { this.store.close(); }
}
