// The inode interface every filesystem implements (struct inode_operations, reduced to what the VFS calls).
// Unsupported operations throw the errno Linux gives for them; filesystems override what they can do.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import type { Dentry } from './dentry.js';
import type { OpenFile } from './file.js';
import type { SetAttr, Stat, StatFs } from './stat.js';
import { S_IFMT, S_IFDIR, S_IFLNK } from './constants.js';

/** One directory entry as readdir gives it (`.` and `..` are added by the VFS). */
export interface DirEntry {
  name: string;
  ino: bigint;
  /** d_type (DT_*). */
  type: number;
}

/** Owner and mode of a new node: mode already masked by the umask, ids from the caller's fsuid/fsgid. */
export interface NewNode {
  mode: number;
  uid: number;
  gid: number;
}

export interface FileSystem {
  /** Name shown in /proc/mounts ("hostfs", "proc", ...). */
  readonly type: string;
  /** st_dev of every node. */
  readonly dev: number;
  readonly root: Node;
  statfs(): StatFs;
  /** Filesystem options after "rw" in /proc/mounts ("size=1024k,mode=1777"); none when absent. */
  options?(): string;
  /** Bytes of file contents held in memory (tmpfs: /proc/meminfo Shmem). */
  memBytes?(): number;
  /** Let go of what the filesystem holds open (VolFs: its store), once no process uses it. */
  close?(): void;
}

export abstract class Node {
  abstract readonly fs: FileSystem;
  /** The type bits (S_IFMT) as seen at lookup; stat() gives the full, current attributes. */
  abstract readonly type: number;
  abstract stat(): Stat;

  get isDir(): boolean { return (this.type & S_IFMT) === S_IFDIR; }
  get isSymlink(): boolean { return (this.type & S_IFMT) === S_IFLNK; }

  /** A directory that was removed (IS_DEADDIR): it lists nothing, takes no new names, and getcwd in it fails. */
  get removed(): boolean { return false; }

  /** The child called `name` (never "." or ".."); ENOENT when absent. */
  lookup(_name: string, _t: Task): Node { throw err(this.isDir ? E.ENOENT : E.ENOTDIR); }
  /** The entries of a directory, without "." and "..". */
  readdir(_t: Task): DirEntry[] { throw err(E.ENOTDIR); }
  /** Open a non-directory (directories are opened by the VFS). `d` is where the walk found it. */
  open(_d: Dentry, _flags: number, _t: Task): OpenFile { throw err(E.ENXIO); }

  create(_name: string, _n: NewNode): Node { throw err(E.EACCES); }
  mkdir(_name: string, _n: NewNode): Node { throw err(E.EACCES); }
  mknod(_name: string, _n: NewNode, _rdev: number): Node { throw err(E.EPERM); }
  symlink(_name: string, _target: string, _n: NewNode): Node { throw err(E.EACCES); }
  /** Make `name` in this directory a new hard link to `target` (same filesystem, checked by the VFS). */
  link(_name: string, _target: Node): void { throw err(E.EPERM); }
  unlink(_name: string): void { throw err(E.EACCES); }
  rmdir(_name: string): void { throw err(E.EACCES); }
  /** Rename this directory's `name` to `newDir`'s `newName` (same filesystem); flags: RENAME_*. */
  rename(_name: string, _newDir: Node, _newName: string, _flags: number): void { throw err(E.EACCES); }

  /** A symlink's target as bytes. */
  readlink(_t: Task): string { throw err(E.EINVAL); }
  /** Magic links (/proc/self/fd/N, /proc/self/exe): where following them leads, bypassing the text. */
  followLink(_t: Task): Dentry | null { return null; }

  setattr(_a: SetAttr): void { throw err(E.EPERM); }

  /** An unnamed regular file in this directory (O_TMPFILE); `linkable`: linkat may give it a name later. */
  tmpfile(_n: NewNode, _linkable: boolean): Node { throw err(E.EOPNOTSUPP, 'O_TMPFILE'); }

  /** Extended attributes by full name ("user.x"); permission and namespace checks are the VFS's (xattr.ts). */
  getxattr(_name: string): Uint8Array { throw err(E.ENODATA); }
  listxattr(): string[] { return []; }
  /** flags: XATTR_CREATE (EEXIST when present), XATTR_REPLACE (ENODATA when absent). */
  setxattr(_name: string, _value: Uint8Array, _flags: number): void { throw err(E.EOPNOTSUPP); }
  removexattr(_name: string): void { throw err(E.ENODATA); }
}
