// The mqueue filesystem (ipc/mqueue.c): one per instance, its root directory the namespace's POSIX message
// queues. mq_open(3) works on it without a mount; `mount -t mqueue none /dev/mqueue` shows it, where
// `cat` reads a queue's status and `rm` unlinks it.
import type { Kernel } from '../../kernel/kernel.js';
import type { MqQueue } from '../../kernel/ipc/mqueue.js';
import type { Task } from '../../kernel/task.js';
import { MAGIC, S_IFDIR, S_IFREG, S_ISVTX } from '../constants.js';
import type { Dentry } from '../dentry.js';
import type { OpenFile } from '../file.js';
import { Node, type DirEntry } from '../node.js';
import { type Stat, synthStat } from '../stat.js';
import { SynthFs } from '../synth.js';
import { MqFile, mqStat } from './mq-file.js';

export class MqueueFs extends SynthFs {
  readonly type = 'mqueue';
  readonly root: Node;
  constructor(kernel: Kernel) {
    super(MAGIC.MQUEUE);
    this.root = new MqRoot(this, kernel);
  }
}

const instances = new WeakMap<Kernel, MqueueFs>();
/** Every mount of mqueue in an instance shows the same queues (one superblock per IPC namespace). */
export function mqueueFs(kernel: Kernel): MqueueFs {
  let fs = instances.get(kernel);
  if (!fs) instances.set(kernel, (fs = new MqueueFs(kernel)));
  return fs;
}

/** The root directory: sticky and world-writable, as mqueue_fill_super makes it. */
class MqRoot extends Node {
  readonly type = S_IFDIR;
  constructor(readonly fs: MqueueFs, private readonly kernel: Kernel) { super(); }
  stat(): Stat { return synthStat(this.fs.dev, 1, S_IFDIR | S_ISVTX | 0o777, { nlink: 2 }); }
  override lookup(name: string): Node { return new MqNode(this.fs, this.kernel.ipc.mq.get(name)); }
  override readdir(): DirEntry[] {
    return [...this.kernel.ipc.mq.queues.values()].map((q) => ({ name: q.name, ino: BigInt(q.ino), type: 8 }));
  }
  override unlink(name: string): void { this.kernel.ipc.mq.remove(name); }
}

class MqNode extends Node {
  readonly type = S_IFREG;
  constructor(readonly fs: MqueueFs, readonly mq: MqQueue) { super(); }
  stat(): Stat { return mqStat(this.mq, this.fs.dev); }
  override open(d: Dentry, flags: number, _t: Task): OpenFile { return new MqFile(this.mq, flags, this.fs.dev, d); }
}
