// The mount table: filesystems attached at canonical paths (struct mount, fs/namespace.c, one namespace).
// Mounts on one path stack (the last one hides the others until unmounted); a bind mount's root is a
// directory inside its filesystem.
import { E, err } from '../kernel/errno.js';
import type { FileSystem, Node } from './node.js';

/** Per-mount flags of mount(2) (include/uapi/linux/mount.h) kept on the mount and shown in mountinfo. */
export const MS = {
  RDONLY: 1, NOSUID: 2, NODEV: 4, NOEXEC: 8, SYNCHRONOUS: 16, REMOUNT: 32, MANDLOCK: 64, DIRSYNC: 128,
  NOSYMFOLLOW: 256, NOATIME: 1024, NODIRATIME: 2048, BIND: 4096, MOVE: 8192, REC: 16384, SILENT: 32768,
  POSIXACL: 1 << 16, UNBINDABLE: 1 << 17, PRIVATE: 1 << 18, SLAVE: 1 << 19, SHARED: 1 << 20,
  RELATIME: 1 << 21, KERNMOUNT: 1 << 22, I_VERSION: 1 << 23, STRICTATIME: 1 << 24, LAZYTIME: 1 << 25,
} as const;
/** The flags that belong to a mount (the rest are requests or superblock flags). */
export const MNT_FLAGS = MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.NOSYMFOLLOW | MS.NOATIME | MS.NODIRATIME | MS.RELATIME;

export interface Mount {
  readonly id: number;
  readonly fs: FileSystem;
  /** Canonical path of the mountpoint. */
  readonly path: string;
  /** The directory this mount shows: the filesystem's root, or a bind mount's source directory. */
  readonly root: Node;
  /** Path of `root` inside its filesystem ("/" unless a bind mount): mountinfo's fourth field. */
  readonly rootPath: string;
  /** mount(2)'s source ("tmpfs", "proc", a device or a directory). */
  readonly source: string;
  /** MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_NOATIME, MS_RELATIME... (MNT_FLAGS). */
  flags: number;
  /** The mount this one is attached to (null for the root). */
  readonly parent: Mount | null;
}

export interface MountSpec {
  source: string;
  flags?: number;
  /** Bind mounts: the directory shown and its path inside the filesystem. */
  root?: Node;
  rootPath?: string;
  parent: Mount | null;
}

export class MountTable {
  private readonly byPath = new Map<string, Mount[]>();
  private nextId = 1;

  add(path: string, fs: FileSystem, spec: MountSpec): Mount {
    const m: Mount = {
      id: this.nextId++, fs, path, root: spec.root ?? fs.root, rootPath: spec.rootPath ?? '/', source: spec.source,
      flags: (spec.flags ?? MS.RELATIME) & MNT_FLAGS, parent: spec.parent,
    };
    const stack = this.byPath.get(path);
    if (stack) stack.push(m); else this.byPath.set(path, [m]);
    return m;
  }

  /** Detach `m` (umount2): EINVAL when it is not the top of its mountpoint. */
  remove(m: Mount): void {
    const stack = this.byPath.get(m.path);
    if (!stack || stack[stack.length - 1] !== m) throw err(E.EINVAL);
    stack.pop();
    if (stack.length === 0) this.byPath.delete(m.path);
  }

  /** The visible mount whose mountpoint is exactly `path`. */
  at(path: string): Mount | undefined {
    const s = this.byPath.get(path);
    return s?.[s.length - 1];
  }

  /** Mounts attached somewhere below `m` (umount of `m` is EBUSY while they exist). */
  children(m: Mount): Mount[] { return this.all().filter((c) => c.parent === m); }

  /** Names of mountpoints directly inside the directory at `dirPath` (so they list even if the fs below lacks them). */
  namesIn(dirPath: string): string[] {
    const prefix = dirPath === '/' ? '/' : `${dirPath}/`;
    const out: string[] = [];
    for (const p of this.byPath.keys()) {
      if (p !== '/' && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) out.push(p.slice(prefix.length));
    }
    return out;
  }

  /** Every mount in the order they were made (mountinfo's order). */
  all(): Mount[] { return [...this.byPath.values()].flat().sort((a, b) => a.id - b.id); }
}

/** statfs(2) f_flags of a mount: ST_VALID plus the ST_* bits of its flags (fs/statfs.c flags_by_mnt). */
export function statfsFlags(m: Mount): number {
  const ST_VALID = 0x20, ST_RELATIME = 0x1000, ST_NOSYMFOLLOW = 0x2000;
  return ST_VALID | (m.flags & (MS.RDONLY | MS.NOSUID | MS.NODEV | MS.NOEXEC | MS.NOATIME | MS.NODIRATIME))
    | (m.flags & MS.RELATIME ? ST_RELATIME : 0) | (m.flags & MS.NOSYMFOLLOW ? ST_NOSYMFOLLOW : 0);
}

/** EROFS for a change through a read-only mount (mnt_want_write). */
export function checkWritable(m: Mount): void {
  if (m.flags & MS.RDONLY) throw err(E.EROFS);
}
