// Open file descriptions (struct file): shared by dup'ed fds, carrying the position and status flags.
import { E, err } from '../kernel/errno.js';
import type { Credentials, Task } from '../kernel/task.js';
import { O, O_OPEN_ONLY, O_SETFL_MASK } from './constants.js';
import type { Dentry } from './dentry.js';
import type { Stat } from './stat.js';
import type { WaitQueue } from '../kernel/wait-queue.js';
import { closeEvent } from './notify/vfs-events.js';
import { privsToDrop } from './permission.js';
import type { SharedSegment } from '../mm/shared-memory.js';

/** poll(2) event bits (include/uapi/asm-generic/poll.h). */
export const POLL = {
  IN: 0x1, PRI: 0x2, OUT: 0x4, ERR: 0x8, HUP: 0x10, NVAL: 0x20, RDNORM: 0x40, RDBAND: 0x80, WRNORM: 0x100,
  WRBAND: 0x200, MSG: 0x400, RDHUP: 0x2000,
} as const;

/** A read or write result: a byte count now, or a Promise when the caller has to wait (the task is parked). */
export type IoResult = number | Promise<number>;

/**
 * What mmap needs from a file: its size and positional reads (private copies), and for MAP_SHARED the
 * memory object holding its pages and their write-back (see MappedFile in mm/vma.ts).
 */
export interface Mappable {
  /** The file's size now. */
  readonly size: number;
  readAt(buf: Uint8Array, pos: number): number;
  writeAt?(buf: Uint8Array, pos: number): number;
  zero?: boolean;
  shared?(minSize: number): SharedSegment;
  sync?(pos: number, len: number): void;
}

export abstract class OpenFile {
  /** File position (f_pos) for files that seek. */
  pos = 0;
  private status: number;
  private refs = 0;

  constructor(flags: number, readonly dentry: Dentry | null = null) {
    this.status = (flags & ~O_OPEN_ONLY) | O.LARGEFILE;
  }

  /** Access mode and status flags, as F_GETFL reports them. */
  get flags(): number { return this.status; }
  /** F_SETFL: only O_APPEND, O_NONBLOCK and O_ASYNC change. */
  /** F_SETOWN/F_SETOWN_EX (struct fown_struct): who SIGIO would go to (type F_OWNER_TID 0, PID 1, PGRP 2), and
   *  F_SETSIG's signal. Kept and read back; no SIGIO is sent yet. */
  fown = { type: 1, pid: 0 };
  ownerSignal = 0;

  setStatusFlags(f: number): void { this.status = (this.status & ~O_SETFL_MASK) | (f & O_SETFL_MASK); }

  get isPath(): boolean { return (this.status & O.PATH) !== 0; }
  get readable(): boolean { return !this.isPath && (this.status & O.ACCMODE) !== O.WRONLY; }
  get writable(): boolean { return !this.isPath && (this.status & O.ACCMODE) !== O.RDONLY; }
  get nonblocking(): boolean { return (this.status & O.NONBLOCK) !== 0; }
  /** A stream (pipe, terminal, host stream): a read returns what is there, so one read per call. */
  get stream(): boolean { return false; }

  abstract stat(): Stat;

  /** Read at the file position, advancing it. */
  read(_buf: Uint8Array): IoResult { throw err(E.EINVAL); }
  /** Write at the file position (at the end with O_APPEND), advancing it. */
  write(_buf: Uint8Array): IoResult { throw err(E.EINVAL); }
  pread(_buf: Uint8Array, _pos: number): number { throw err(E.ESPIPE); }
  pwrite(_buf: Uint8Array, _pos: number): number { throw err(E.ESPIPE); }
  /** lseek(2): the new position. */
  seek(_off: number, _whence: number): number { throw err(E.ESPIPE); }
  ioctl(_t: Task, _req: number, _arg: number): IoResult { throw err(E.ENOTTY); }
  truncate(_size: number): void { throw err(E.EINVAL); }
  allocate(_off: number, _len: number): void { throw err(E.ENODEV); }
  /** fallocate(2) with a mode other than 0 (FALLOC bits, already checked for sense): files whose filesystem can't, EOPNOTSUPP. */
  fallocate(_mode: number, _off: number, _len: number): void { throw err(E.EOPNOTSUPP); }
  /**
   * poll(2) readiness now (POLL* bits). Regular files and directories are always ready (fs/select.c).
   * `events` is what the caller asks for (the poll_table's key): a file may use it to start only needed work.
   */
  pollMask(_events?: number): number { return POLL.IN | POLL.OUT | POLL.RDNORM | POLL.WRNORM; }
  /** Notified whenever pollMask() may have changed; null for files whose readiness never changes. */
  get pollQueue(): WaitQueue | null { return null; }
  /** Bytes readable without blocking (FIONREAD), when meaningful. */
  available(): number | null { return null; }
  sync(): void {}
  /** Before a write by `c`: drop setuid/setgid as file_remove_privs does. */
  killPrivs(c: Credentials): void {
    if (!this.dentry) return;
    const st = this.stat();
    const kill = privsToDrop(st, c);
    if (kill) this.dentry.node.setattr({ mode: st.mode & 0o7777 & ~kill });
  }
  /** For mmap: regular files only. */
  mappable(): Mappable | null { return null; }
  /** A blocking open's wait (a FIFO end waiting for its partner, fs/fifo.c); null when the open is complete. */
  openWait(): IoResult | null { return null; }
  /** Open the same file again (opening /proc/self/fd/N of a file that has no path). */
  reopen(_flags: number, _t: Task): OpenFile { throw err(E.ENXIO); }
  /** Lines /proc/<pid>/fdinfo/N adds after the common ones (a pidfd's Pid:), each ending in a newline. */
  fdinfo(): string { return ''; }
  /** What /proc/<pid>/fd/N reads as, for files without a path (pipe:[ino], anon_inode:...). */
  anonName(): string { return 'anon_inode:[pbash]'; }

  /** Called by fd tables: one reference per fd (and per fork copy). */
  ref(): this { this.refs++; return this; }
  unref(): void {
    if (--this.refs !== 0) return;
    closeEvent(this);
    this.release();
    for (const h of this.releaseHooks?.splice(0) ?? []) h();
  }
  private releaseHooks: (() => void)[] | null = null;
  /** Run `h` at the last close (epoll drops the file's items then, as eventpoll_release does); returns a remover. */
  onRelease(h: () => void): () => void {
    (this.releaseHooks ??= []).push(h);
    return () => { const i = this.releaseHooks?.indexOf(h) ?? -1; if (i >= 0) this.releaseHooks!.splice(i, 1); };
  }
  /** Last reference gone (the last close): free host resources. */
  protected release(): void {}
}
