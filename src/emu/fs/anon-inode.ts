// Files on the one shared anonymous inode (fs/anon_inodes.c anon_inode_getfile): eventfd, timerfd, epoll,
// signalfd. fstat shows mode 0600 with no file type bits; /proc/self/fd/N reads "anon_inode:[name]".
import { WaitQueue } from '../kernel/wait-queue.js';
import { OpenFile } from './file.js';
import { type Stat, synthStat } from './stat.js';

const ANON_INODE_DEV = 0x0e; // 0:14, anon_inodefs's usual place
const ANON_INODE_INO = 1000; // one inode shared by every such file, as on Linux

export abstract class AnonInodeFile extends OpenFile {
  /** Notified whenever pollMask() may have changed; readers and writers wait on it too. */
  readonly queue = new WaitQueue();

  constructor(flags: number, private readonly kind: string) { super(flags); }

  override get stream(): boolean { return true; }
  stat(): Stat { return synthStat(ANON_INODE_DEV, ANON_INODE_INO, 0o600); }
  override anonName(): string { return `anon_inode:[${this.kind}]`; }
  override get pollQueue(): WaitQueue { return this.queue; }
}
