// A task's filesystem context (struct fs_struct): root (the jail ".." never leaves), cwd and umask.
import type { Dentry } from './dentry.js';

export class FsContext {
  constructor(public root: Dentry, public cwd: Dentry, public umask = 0o022) {}

  /** fork without CLONE_FS: an independent copy. */
  clone(): FsContext { return new FsContext(this.root, this.cwd, this.umask); }
}
