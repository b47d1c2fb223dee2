// Path resolution (fs/namei.c): component by component from the task's root or a start directory,
// following symlinks (at most 40 per resolution), ".." never above the task's root, mounts crossed.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { MAXSYMLINKS, NAME_MAX, PATH_MAX, X_OK } from './constants.js';
import { Dentry } from './dentry.js';
import { checkAccess } from './permission.js';

/** Where a path's last component lives: the directory reached, the last name, whether a '/' followed it. */
export interface Parent {
  dir: Dentry;
  /** The last component; "." for a path of slashes only ("/"), may be "." or "..". */
  last: string;
  /** The path ended with '/': the result must be a directory (and a final symlink is followed). */
  slash: boolean;
}

/** Child lookup with mount crossing: the one place the walk enters a filesystem. */
export type ChildLookup = (dir: Dentry, name: string, t: Task) => Dentry;

/** openat2(2)'s RESOLVE_* restrictions on a walk (include/uapi/linux/openat2.h). */
export const RESOLVE = { NO_XDEV: 0x01, NO_MAGICLINKS: 0x02, NO_SYMLINKS: 0x04, BENEATH: 0x08, IN_ROOT: 0x10, CACHED: 0x20 } as const;
const SCOPED = RESOLVE.BENEATH | RESOLVE.IN_ROOT;

/** A restricted walk: the RESOLVE_* flags and the directory BENEATH/IN_ROOT scope it to (the dirfd's). */
export interface Scope { flags: number; root: Dentry; }

const same = (a: Dentry, b: Dentry): boolean => a.mount === b.mount && a.path === b.path;

export class PathWalk {
  private links = 0;

  constructor(private readonly t: Task, private readonly child: ChildLookup, private readonly scope: Scope | null = null) {}

  private has(flag: number): boolean { return this.scope !== null && (this.scope.flags & flag) !== 0; }

  /** Resolve every component; the last one's symlink is followed when `follow` (or a trailing slash). */
  resolve(start: Dentry, path: string, follow: boolean): Dentry {
    return this.last(this.parent(start, path), follow);
  }

  /** Finish a walk started with parent(). */
  last(p: Parent, follow: boolean): Dentry {
    const d = this.step(p.dir, p.last, follow || p.slash);
    if (p.slash && !d.node.isDir) throw err(E.ENOTDIR);
    return d;
  }

  /** Resolve all but the last component (`link`: path is a symlink's target, not the caller's argument). */
  parent(start: Dentry, path: string, link = false): Parent {
    if (path.length === 0) throw err(E.ENOENT);
    if (path.length >= PATH_MAX) throw err(E.ENAMETOOLONG);
    let dir = path.charCodeAt(0) === 0x2f ? this.jumpRoot(start, link) : start;
    const parts = path.split('/').filter((p) => p.length > 0);
    if (parts.some((p) => p.length > NAME_MAX)) throw err(E.ENAMETOOLONG);
    if (parts.length === 0) return { dir, last: '.', slash: false };
    for (let i = 0; i < parts.length - 1; i++) dir = this.step(dir, parts[i]!, true);
    if (!dir.node.isDir) throw err(E.ENOTDIR);
    return { dir, last: parts[parts.length - 1]!, slash: path.endsWith('/') };
  }

  /** One component from a directory. */
  step(dir: Dentry, name: string, follow: boolean): Dentry {
    if (!dir.node.isDir) throw err(E.ENOTDIR);
    checkAccess(dir.node.stat(), this.t.creds, X_OK);
    if (name === '.') return dir;
    if (name === '..') return this.up(dir);
    const d = this.child(dir, name, this.t);
    if (this.has(RESOLVE.NO_XDEV) && d.mount !== dir.mount) throw err(E.EXDEV);
    return follow && d.node.isSymlink ? this.follow(dir, d) : d;
  }

  /**
   * An absolute path or symlink starts over at the root (nd_jump_root): never under BENEATH; IN_ROOT's is
   * the scope's; under NO_XDEV an absolute symlink may not leave the mount it is on.
   */
  private jumpRoot(from: Dentry, link: boolean): Dentry {
    if (this.has(RESOLVE.BENEATH)) throw err(E.EXDEV);
    const root = this.has(RESOLVE.IN_ROOT) ? this.scope!.root : this.t.fs.root;
    if (link && this.has(RESOLVE.NO_XDEV) && root.mount !== from.mount) throw err(E.EXDEV);
    return root;
  }

  /** Follow the symlink `link` found in `dir`. */
  follow(dir: Dentry, link: Dentry): Dentry {
    const r = this.followToParent(dir, link);
    return r instanceof Dentry ? r : this.last(r, true);
  }

  /** Follow one symlink up to its target's last component (O_CREAT creates a dangling link's target). */
  followToParent(dir: Dentry, link: Dentry): Parent | Dentry {
    if (++this.links > MAXSYMLINKS) throw err(E.ELOOP);
    if (this.has(RESOLVE.NO_SYMLINKS)) throw err(E.ELOOP);
    const magic = link.node.followLink(this.t);
    if (!magic) return this.parent(dir, link.node.readlink(this.t), true);
    // a /proc magic link jumps anywhere (nd_jump_link): refused by NO_MAGICLINKS, NO_XDEV across mounts, and scoping
    if (this.has(RESOLVE.NO_MAGICLINKS)) throw err(E.ELOOP);
    if ((this.has(RESOLVE.NO_XDEV) && magic.mount !== dir.mount) || this.has(SCOPED)) throw err(E.EXDEV);
    return magic;
  }

  /**
   * "..": stays at the task's root (the jail) and at the top; a mount root's parent is its mountpoint's
   * parent. At the scope's root, BENEATH refuses (EXDEV) and IN_ROOT stays; NO_XDEV refuses leaving a mount.
   */
  up(d: Dentry): Dentry {
    if (this.has(SCOPED) && same(d, this.scope!.root)) {
      if (this.has(RESOLVE.BENEATH)) throw err(E.EXDEV);
      return d;
    }
    if (d.parent === null || d.path === this.t.fs.root.path) return d;
    if (this.has(RESOLVE.NO_XDEV) && d.parent.mount !== d.mount) throw err(E.EXDEV);
    return d.parent;
  }
}
