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

export class PathWalk {
  private links = 0;

  constructor(private readonly t: Task, private readonly child: ChildLookup) {}

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

  /** Resolve all but the last component. */
  parent(start: Dentry, path: string): Parent {
    if (path.length === 0) throw err(E.ENOENT);
    if (path.length >= PATH_MAX) throw err(E.ENAMETOOLONG);
    let dir = path.charCodeAt(0) === 0x2f ? this.t.fs.root : start;
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
    if (this.t.creds.fsuid !== 0) checkAccess(dir.node.stat(), this.t.creds, X_OK);
    if (name === '.') return dir;
    if (name === '..') return this.up(dir);
    const d = this.child(dir, name, this.t);
    return follow && d.node.isSymlink ? this.follow(dir, d) : d;
  }

  /** Follow the symlink `link` found in `dir`. */
  follow(dir: Dentry, link: Dentry): Dentry {
    const r = this.followToParent(dir, link);
    return r instanceof Dentry ? r : this.last(r, true);
  }

  /** Follow one symlink up to its target's last component (O_CREAT creates a dangling link's target). */
  followToParent(dir: Dentry, link: Dentry): Parent | Dentry {
    if (++this.links > MAXSYMLINKS) throw err(E.ELOOP);
    return link.node.followLink(this.t) ?? this.parent(dir, link.node.readlink(this.t));
  }

  /** "..": stays at the task's root (the jail) and at the top; a mount root's parent is its mountpoint's parent. */
  up(d: Dentry): Dentry {
    if (d.parent === null || d.path === this.t.fs.root.path) return d;
    return d.parent;
  }
}
