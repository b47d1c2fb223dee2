// An open directory: getdents reads a snapshot taken at the first read (and again after rewinding to 0),
// so the d_off cookies (1-based positions in the snapshot) stay stable while the directory changes.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { S_IFDIR, SEEK_CUR, SEEK_SET, dtype } from './constants.js';
import type { Dentry } from './dentry.js';
import { OpenFile } from './file.js';
import type { MountTable } from './mount.js';
import type { DirEntry } from './node.js';
import type { Stat } from './stat.js';

export class DirFile extends OpenFile {
  private snapshot: DirEntry[] | null = null;

  constructor(flags: number, readonly dir: Dentry, private readonly mounts: MountTable) {
    super(flags, dir);
  }

  stat(): Stat { return this.dir.node.stat(); }
  override read(): number { throw err(E.EISDIR); }
  override pread(): number { throw err(E.EISDIR); }

  override seek(off: number, whence: number): number {
    const pos = whence === SEEK_SET ? off : whence === SEEK_CUR ? this.pos + off : -1;
    if (pos < 0 || (whence !== SEEK_SET && whence !== SEEK_CUR)) throw err(E.EINVAL);
    if (pos === 0) this.snapshot = null;
    return (this.pos = pos);
  }

  /**
   * Every entry, "." and ".." first; position i's cookie (d_off) is i + 1. A removed directory lists nothing
   * (iterate_dir: ENOENT). `fresh`: the snapshot was taken by this call (no entry of it can be stale yet).
   */
  entries(t: Task): { list: DirEntry[]; fresh: boolean } {
    if (this.dir.node.removed) throw err(E.ENOENT);
    if (this.snapshot) return { list: this.snapshot, fresh: false };
    return { list: (this.snapshot = this.list(t)), fresh: true };
  }

  /** Whether a snapshot's entry still exists: a name removed since is not returned (as Linux's cursors skip it). */
  exists(t: Task, e: DirEntry): boolean {
    if (e.name === '.' || e.name === '..' || this.mounts.at(this.dir.childPath(e.name))) return true;
    try { this.dir.node.lookup(e.name, t); return true; } catch { return false; }
  }

  private list(t: Task): DirEntry[] {
    const { node, parent, path } = this.dir;
    const up = parent === null || path === t.fs.root.path ? this.dir : parent;
    const out: DirEntry[] = [
      { name: '.', ino: node.stat().ino, type: dtype(S_IFDIR) },
      { name: '..', ino: up.node.stat().ino, type: dtype(S_IFDIR) },
      ...node.readdir(t),
    ];
    const names = new Set(out.map((e) => e.name));
    for (const name of this.mounts.namesIn(path)) {
      const m = this.mounts.at(this.dir.childPath(name));
      if (m && !names.has(name)) out.push({ name, ino: m.root.stat().ino, type: dtype(S_IFDIR) });
    }
    return out;
  }
}

/** An O_PATH descriptor: a location only (fstat, *at() starting point, fchdir); no I/O. */
export class PathFile extends OpenFile {
  constructor(flags: number, dentry: Dentry) { super(flags, dentry); }
  stat(): Stat { return this.dentry!.node.stat(); }
}
