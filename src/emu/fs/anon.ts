// Files that have no place in the tree (pipes, host streams, later sockets) seen as nodes, so that
// fstatat(AT_EMPTY_PATH) and opening /proc/self/fd/N work on them as on any file (like Linux's pipefs/anon inodes).
import type { Task } from '../kernel/task.js';
import { S_IFDIR } from './constants.js';
import type { Dentry } from './dentry.js';
import type { OpenFile } from './file.js';
import { Node, type FileSystem } from './node.js';
import { type Stat, type StatFs, synthStat, synthStatFs } from './stat.js';

const ANON_DEV = 0x0d; // 0:13, where Linux puts pipefs

export class AnonFs implements FileSystem {
  readonly type = 'anon';
  readonly dev = ANON_DEV;
  readonly root: Node = new AnonRoot(this);
  statfs(): StatFs { return synthStatFs(0x50495045 /* PIPEFS_MAGIC */, this.dev); }
  nodeFor(f: OpenFile): Node { return new AnonNode(this, f); }
}

class AnonRoot extends Node {
  readonly type = S_IFDIR | 0o555;
  constructor(readonly fs: AnonFs) { super(); }
  stat(): Stat { return synthStat(this.fs.dev, 1, this.type); }
}

class AnonNode extends Node {
  constructor(readonly fs: AnonFs, private readonly file: OpenFile) { super(); }
  get type(): number { return this.file.stat().mode; }
  stat(): Stat { return this.file.stat(); }
  override open(_d: Dentry, flags: number, t: Task): OpenFile { return this.file.reopen(flags, t); }
  /** fchmod/fchown on a pipe or stream: accepted without effect (no persistent inode to change). */
  override setattr(): void {}
}
