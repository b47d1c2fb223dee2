// The mount table: filesystems attached at canonical paths (struct mount, fs/namespace.c, one namespace).
import { E, err } from '../kernel/errno.js';
import type { FileSystem } from './node.js';

export interface Mount {
  readonly id: number;
  readonly fs: FileSystem;
  /** Canonical path of the mountpoint. */
  readonly path: string;
}

export class MountTable {
  private readonly byPath = new Map<string, Mount>();
  private nextId = 1;

  add(path: string, fs: FileSystem): Mount {
    if (this.byPath.has(path)) throw err(E.EBUSY, `already mounted: ${path}`);
    const m: Mount = { id: this.nextId++, fs, path };
    this.byPath.set(path, m);
    return m;
  }

  /** The mount whose mountpoint is exactly `path`. */
  at(path: string): Mount | undefined { return this.byPath.get(path); }

  /** Names of mountpoints directly inside the directory at `dirPath` (so they list even if the fs below lacks them). */
  namesIn(dirPath: string): string[] {
    const prefix = dirPath === '/' ? '/' : `${dirPath}/`;
    const out: string[] = [];
    for (const p of this.byPath.keys()) {
      if (p !== '/' && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) out.push(p.slice(prefix.length));
    }
    return out;
  }

  all(): Mount[] { return [...this.byPath.values()]; }
}
