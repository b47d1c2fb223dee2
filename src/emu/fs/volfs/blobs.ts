// Contents of VolFs regular files: one host file per inode, its path made only from the inode number
// (<distro>/blobs/<ino mod 256 in hex>/<ino>), so no guest name ever reaches a host path. Opened with
// O_NOFOLLOW: nothing in the blob tree is a symlink the host could follow. A regular file without a blob
// is empty (a new file gets its blob when first opened, after its inode is committed).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { host } from '../hostfs/host-stat.js';

const C = fs.constants;
export const BLOB_DIR = 'blobs';

export class Blobs {
  readonly root: string;

  constructor(distroDir: string) {
    this.root = path.join(distroDir, BLOB_DIR);
    fs.mkdirSync(this.root, { recursive: true, mode: 0o700 });
  }

  path(ino: bigint): string {
    return path.join(this.root, (ino & 0xffn).toString(16).padStart(2, '0'), ino.toString());
  }

  /** The blob's path, its subdirectory made (once per subdirectory). */
  private made = new Set<string>();
  prepare(ino: bigint): string {
    const p = this.path(ino);
    const dir = path.dirname(p);
    if (!this.made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.made.add(dir);
    }
    return p;
  }

  /** Create (or empty) the blob of a new inode. */
  create(ino: bigint): void {
    const p = this.prepare(ino);
    fs.closeSync(host(() => fs.openSync(p, C.O_CREAT | C.O_TRUNC | C.O_WRONLY | C.O_NOFOLLOW, 0o600)));
  }

  /** A host fd on the blob (the access mode of `hostFlags`), recreating a missing blob as empty. */
  open(ino: bigint, hostFlags: number): number {
    const p = this.path(ino);
    try {
      return fs.openSync(p, hostFlags | C.O_NOFOLLOW);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.create(ino);
      return host(() => fs.openSync(p, hostFlags | C.O_NOFOLLOW));
    }
  }

  /** Size and allocated 512-byte blocks (sparse files stay sparse on the host). */
  size(ino: bigint): { size: number; blocks: number } {
    const st = fs.lstatSync(this.path(ino), { throwIfNoEntry: false });
    return st ? { size: st.size, blocks: st.blocks } : { size: 0, blocks: 0 };
  }

  remove(ino: bigint): void { fs.rmSync(this.path(ino), { force: true }); }

  /** truncate(2) of a file whose blob may not exist yet (a new file has none until it is opened). */
  truncate(ino: bigint, size: number): void {
    const fd = this.open(ino, C.O_WRONLY);
    try { host(() => fs.ftruncateSync(fd, size)); } finally { fs.closeSync(fd); }
  }

  /** A name in the blob tree that is an inode number in its own subdirectory. */
  private isBlob(dir: string, name: string): boolean {
    return /^[1-9][0-9]*$/.test(name) && this.path(BigInt(name)) === path.join(dir, name);
  }

  /** Every blob's inode number (fsck). */
  *all(): Generator<bigint> {
    for (const sub of fs.readdirSync(this.root)) {
      const d = path.join(this.root, sub);
      if (!/^[0-9a-f]{2}$/.test(sub) || !fs.lstatSync(d).isDirectory()) continue;
      for (const name of fs.readdirSync(d)) if (this.isBlob(d, name)) yield BigInt(name);
    }
  }

  /** Files in the blob tree that are not blobs (fsck reports and removes them). */
  *strays(): Generator<string> {
    for (const sub of fs.readdirSync(this.root)) {
      const d = path.join(this.root, sub);
      if (!/^[0-9a-f]{2}$/.test(sub) || !fs.lstatSync(d).isDirectory()) { yield d; continue; }
      for (const name of fs.readdirSync(d)) {
        const p = path.join(d, name);
        if (!this.isBlob(d, name) || !fs.lstatSync(p).isFile()) yield p;
      }
    }
  }
}
