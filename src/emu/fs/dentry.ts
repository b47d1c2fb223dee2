// A location in the tree: a node, the mount it was found in, and the way back up ("..").
// Paths are canonical (every symlink resolved), so they identify a location and key the mount table.
import type { Mount } from './mount.js';
import type { Node } from './node.js';

export class Dentry {
  constructor(
    readonly node: Node,
    readonly mount: Mount,
    /** Where ".." leads: for a mount's root, the mountpoint's parent; null only at the top of the tree. */
    readonly parent: Dentry | null,
    readonly name: string,
    /** Absolute path from the top of the tree (the VFS root, not the task's root). */
    readonly path: string,
  ) {}

  /** Path of a child of this location. */
  childPath(name: string): string {
    return this.path === '/' ? `/${name}` : `${this.path}/${name}`;
  }

  /** The path as a task whose root is `root` sees it; null when outside that root. */
  pathFrom(root: Dentry): string | null {
    if (root.path === '/') return this.path;
    if (this.path === root.path) return '/';
    return this.path.startsWith(`${root.path}/`) ? this.path.slice(root.path.length) : null;
  }
}
