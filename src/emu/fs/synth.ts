// Building blocks of in-memory filesystems (devfs, procfs, sysfs): directories, symlinks, read-only files.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { O, SEEK_CUR, SEEK_END, SEEK_SET, S_IFDIR, S_IFLNK, S_IFREG, dtype } from './constants.js';
import type { Dentry } from './dentry.js';
import { OpenFile } from './file.js';
import { Node, type DirEntry, type FileSystem } from './node.js';
import { type Stat, type StatFs, synthStat, synthStatFs } from './stat.js';

let anonDev = 0x20;
/** A new anonymous device number (0:N, get_anon_bdev) for an in-memory filesystem. */
export const nextAnonDev = (): number => anonDev++;

/** An in-memory filesystem with an anonymous device number (0:N) and a statfs magic. */
export abstract class SynthFs implements FileSystem {
  readonly dev = nextAnonDev();
  private nextIno = 2;
  abstract readonly type: string;
  abstract readonly root: Node;
  constructor(private readonly magic: number) {}
  statfs(): StatFs { return synthStatFs(this.magic, this.dev); }
  ino(): number { return this.nextIno++; }
}

export type Children = Map<string, Node>;

/** A directory whose entries are a fixed map or computed per call (for the caller's view, like /proc). */
export class SynthDir extends Node {
  readonly type = S_IFDIR;
  constructor(readonly fs: SynthFs, readonly ino: number, private readonly children: Children | ((t: Task) => Children),
    private readonly perm = 0o555, private readonly owner: { uid: number; gid: number } = { uid: 0, gid: 0 }) { super(); }

  private map(t: Task): Children { return typeof this.children === 'function' ? this.children(t) : this.children; }
  stat(): Stat { return synthStat(this.fs.dev, this.ino, S_IFDIR | this.perm, { nlink: 2, ...this.owner }); }

  override lookup(name: string, t: Task): Node {
    const n = this.map(t).get(name);
    if (!n) throw err(E.ENOENT);
    return n;
  }

  override readdir(t: Task): DirEntry[] {
    return [...this.map(t)].map(([name, n]) => ({ name, ino: n.stat().ino, type: dtype(n.type) }));
  }
}

/** A symlink with computed text; `magic` makes it a magic link (following bypasses the text). */
export class SynthLink extends Node {
  readonly type = S_IFLNK;
  constructor(readonly fs: SynthFs, readonly ino: number, private readonly text: (t: Task) => string,
    private readonly magic?: (t: Task) => Dentry | null, private readonly owner: { uid: number; gid: number } = { uid: 0, gid: 0 },
    private readonly perm = 0o777) { super(); }

  stat(): Stat { return synthStat(this.fs.dev, this.ino, S_IFLNK | this.perm, { ...this.owner, size: 0 }); }
  override readlink(t: Task): string { return this.text(t); }
  override followLink(t: Task): Dentry | null { return this.magic ? this.magic(t) : null; }
}

/** How a generated file may be opened and written (procfs's permission hooks and write handlers). */
export interface FileOps {
  /** Called at every open (ptrace-style access checks throw EACCES). */
  check?: (t: Task) => void;
  /** Each write(2) hands its bytes to this, with the opener's task (proc_write's file->f_cred). */
  write?: (t: Task, data: Buffer) => void;
  owner?: { uid: number; gid: number };
}

/** A regular file whose content is generated at open (like a seq_file); writable when ops.write is given. */
export class SynthFile extends Node {
  readonly type = S_IFREG;
  constructor(readonly fs: SynthFs, readonly ino: number, private readonly content: (t: Task) => string | Uint8Array,
    private readonly perm = 0o444, private readonly ops: FileOps = {}) { super(); }

  stat(): Stat { return synthStat(this.fs.dev, this.ino, S_IFREG | this.perm, this.ops.owner); }

  override open(d: Dentry, flags: number, t: Task): OpenFile {
    this.ops.check?.(t);
    const write = this.ops.write;
    if ((flags & O.ACCMODE) !== O.RDONLY && !write) throw err(E.EACCES);
    const c = (flags & O.ACCMODE) === O.WRONLY ? '' : this.content(t);
    const data = typeof c === 'string' ? Buffer.from(c, 'latin1') : c;
    const f = new BufferFile(flags, d, data, () => this.stat());
    if (write) f.writer = (buf) => write(t, Buffer.from(buf));
    return f;
  }
}

/** Reads `buf.length` bytes at `pos` of a generated file: the count copied, 0 at its end. */
export type Reader = (buf: Uint8Array, pos: number) => number;

/** The reader of fixed bytes. */
export const bytesReader = (data: Uint8Array): Reader => (buf, pos) => {
  const part = data.subarray(pos, pos + buf.length);
  buf.set(part);
  return part.length;
};

/**
 * A regular file whose bytes are produced by each read(2), not at open (proc_pid_cmdline_read, a seq_file's
 * show): `open` returns the reader one open file uses; writable when ops.write is given.
 */
export class LiveFile extends Node {
  readonly type = S_IFREG;
  constructor(readonly fs: SynthFs, readonly ino: number, private readonly reader: (t: Task) => Reader,
    private readonly perm = 0o444, private readonly ops: FileOps = {}) { super(); }

  stat(): Stat { return synthStat(this.fs.dev, this.ino, S_IFREG | this.perm, this.ops.owner); }

  override open(d: Dentry, flags: number, t: Task): OpenFile {
    this.ops.check?.(t);
    const write = this.ops.write;
    if ((flags & O.ACCMODE) !== O.RDONLY && !write) throw err(E.EACCES);
    const f = new ReaderFile(flags, d, this.reader(t), () => this.stat());
    if (write) f.writer = (buf) => write(t, Buffer.from(buf));
    return f;
  }
}

/** An open generated file: read, pread and lseek through its reader; SEEK_END counts from `size`. */
export class ReaderFile extends OpenFile {
  writer: ((buf: Uint8Array) => void) | null = null;
  constructor(flags: number, dentry: Dentry, private readonly reader: Reader, private readonly st: () => Stat,
    protected readonly size = 0) {
    super(flags, dentry);
  }

  override write(buf: Uint8Array): number {
    if (!this.writer) throw err(E.EINVAL);
    this.writer(buf);
    return buf.length;
  }

  override pwrite(buf: Uint8Array): number { return this.write(buf); }

  stat(): Stat { return this.st(); }

  override read(buf: Uint8Array): number {
    const n = this.pread(buf, this.pos);
    this.pos += n;
    return n;
  }

  override pread(buf: Uint8Array, pos: number): number { return this.reader(buf, pos); }

  override seek(off: number, whence: number): number {
    const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? this.pos : whence === SEEK_END ? this.size : NaN;
    const pos = base + off;
    if (!(pos >= 0)) throw err(E.EINVAL);
    return (this.pos = pos);
  }
}

/** An open snapshot of bytes: read, pread, lseek; writes go to `writer` when the file has one. */
export class BufferFile extends ReaderFile {
  constructor(flags: number, dentry: Dentry, data: Uint8Array, st: () => Stat) {
    super(flags, dentry, bytesReader(data), st, data.length);
  }

  override available(): number { return Math.max(0, this.size - this.pos); }
}
