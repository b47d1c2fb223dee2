// The VFS: the mount table, the top of the tree, and resolution of (dirfd, path) pairs as the *at() calls take them.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { AT, AT_FDCWD, PATH_MAX, isReg } from './constants.js';
import { Dentry } from './dentry.js';
import type { OpenFile } from './file.js';
import { AnonFs } from './anon.js';
import { CharDevices } from './devfs/chrdev.js';
import { type Mount, type MountSpec, MountTable } from './mount.js';
import { type Parent, PathWalk } from './namei.js';
import type { FileSystem } from './node.js';

export class Vfs {
  readonly mounts = new MountTable();
  /** The kernel's character device drivers, for device nodes of disk filesystems. */
  readonly chrdevs = new CharDevices();
  /** The top of the tree: the root filesystem's root. */
  readonly top: Dentry;
  private readonly anon = new AnonFs();
  private readonly anonMount: Mount;

  constructor(rootFs: FileSystem) {
    const m = this.mounts.add('/', rootFs, { source: rootFs.type, parent: null });
    this.top = new Dentry(rootFs.root, m, null, '', '/');
    this.anonMount = { id: 0, fs: this.anon, path: '', root: this.anon.root, rootPath: '/', source: 'anon', flags: 0, parent: null };
  }

  /** Mount `fs` at a canonical absolute path (the mountpoint need not exist in the fs below). */
  mount(path: string, fs: FileSystem, spec: Partial<MountSpec> = {}): Mount {
    const parent = spec.parent ?? this.mountOf(path);
    return this.mounts.add(path, fs, { source: spec.source ?? fs.type, ...spec, parent });
  }

  /** The mount a path lies in, by the longest mountpoint prefix (for mounts made before any walk). */
  private mountOf(path: string): Mount | null {
    for (let p = path; ; p = p.slice(0, Math.max(1, p.lastIndexOf('/')))) {
      const m = this.mounts.at(p);
      if (m) return m;
      if (p === '/') return null;
    }
  }

  /** The child `name` of a directory, crossing into a filesystem mounted there. */
  child(dir: Dentry, name: string, t: Task): Dentry {
    const path = dir.childPath(name);
    const m = this.mounts.at(path);
    if (m) return new Dentry(m.root, m, dir, name, path);
    return new Dentry(dir.node.lookup(name, t), dir.mount, dir, name, path);
  }

  /**
   * A new walk for one resolution (its symlink budget is per resolution), restricted by openat2's RESOLVE_*
   * flags when `resolve` has any, scoped to the directory dirfd names (the cwd for AT_FDCWD).
   */
  walker(t: Task, dirfd = AT_FDCWD, resolve = 0): PathWalk {
    const scope = resolve ? { flags: resolve, root: dirfd === AT_FDCWD ? t.fs.cwd : this.dentryOf(t.files.get(dirfd)) } : null;
    return new PathWalk(t, (d, n, tt) => this.child(d, n, tt), scope);
  }

  /** Where an open file is in the tree; files without a path (pipes, host streams) get an anonymous location. */
  dentryOf(f: OpenFile): Dentry {
    return f.dentry ?? new Dentry(this.anon.nodeFor(f), this.anonMount, null, '', f.anonName());
  }

  /** What /proc/<pid>/fd/N leads to: the inode itself (proc_fd_link). Where the file's node is a name (hostfs)
   *  that no longer leads to it (deleted, replaced), the open description stands in for the inode. */
  fdTarget(f: OpenFile): Dentry {
    const d = f.dentry;
    if (!d || d.node.isDir || !isReg(f.stat().mode) || sameInode(d, f)) return this.dentryOf(f);
    return new Dentry(this.anon.nodeFor(f), d.mount, d.parent, d.name, d.path);
  }

  /** The directory a relative path starts from: cwd for AT_FDCWD, else the directory open at dirfd. */
  startDir(t: Task, dirfd: number, path: string): Dentry {
    if (path.startsWith('/')) return t.fs.root;
    if (dirfd === AT_FDCWD) return t.fs.cwd;
    const d = this.dentryOf(t.files.get(dirfd));
    if (path.length > 0 && !d.node.isDir) throw err(E.ENOTDIR);
    return d;
  }

  /** Resolve (dirfd, path) honouring AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH (the stat/chown/utimens family). */
  at(t: Task, dirfd: number, path: string, atFlags: number, followDefault = true): Dentry {
    if (path.length === 0 && (atFlags & AT.EMPTY_PATH)) {
      return dirfd === AT_FDCWD ? t.fs.cwd : this.dentryOf(t.files.get(dirfd));
    }
    const follow = followDefault && !(atFlags & AT.SYMLINK_NOFOLLOW);
    return this.walker(t).resolve(this.startDir(t, dirfd, path), path, follow);
  }

  /** Resolve a path as open(2)/stat(2) do from the cwd. */
  lookup(t: Task, path: string, follow = true): Dentry { return this.at(t, AT_FDCWD, path, 0, follow); }

  /** Resolve all but the last component, for calls that create or remove a name (`resolve`: see walker). */
  parentAt(t: Task, dirfd: number, path: string, resolve = 0): { walk: PathWalk; p: Parent } {
    const walk = this.walker(t, dirfd, resolve);
    return { walk, p: walk.parent(this.startDir(t, dirfd, path), path) };
  }

  /** The cwd as the task sees it (getcwd). */
  cwdPath(t: Task): string { return t.fs.cwd.pathFrom(t.fs.root) ?? t.fs.cwd.path; }

  /** The text of a /proc/<pid> magic link (cwd, fd/N): the path, " (deleted)" after once it lost its name (d_path). */
  linkText(t: Task, d: Dentry, unlinked: boolean): string {
    const text = unlinked ? `${this.pathFor(t, d)} (deleted)` : this.pathFor(t, d);
    if (text.length >= PATH_MAX) throw err(E.ENAMETOOLONG); // d_path into one PATH_MAX page (do_proc_readlink)
    return text;
  }

  /** A location's path as task t sees it (readlink of /proc/<pid>/cwd, fd/N, exe). */
  pathFor(t: Task, d: Dentry): string {
    if (d.mount === this.anonMount) return d.path;
    return d.pathFrom(t.fs.root) ?? d.path;
  }
}

function sameInode(d: Dentry, f: OpenFile): boolean {
  try { return d.node.stat().ino === f.stat().ino; } catch { return false; }
}
