// A VolFs inode as the VFS sees it: every call reads or changes the store in one transaction.
import { E, err } from '../../kernel/errno.js';
import type { Task } from '../../kernel/task.js';
import {
  RENAME_EXCHANGE, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, dtype, isDir,
} from '../constants.js';
import type { Dentry } from '../dentry.js';
import type { OpenFile } from '../file.js';
import { Node, type DirEntry, type NewNode } from '../node.js';
import { type SetAttr, type Stat, nowNs } from '../stat.js';
import type { NewInode } from './store.js';
import { VolFile } from './vol-file.js';
import type { VolFs } from './volfs.js';

/** Linux's limit of links to one inode on ext4 (EXT4_LINK_MAX). */
const LINK_MAX = 65000;
const XATTR_CREATE = 1, XATTR_REPLACE = 2;

export class VolNode extends Node {
  readonly type: number;

  constructor(readonly fs: VolFs, readonly ino: bigint, mode: number) {
    super();
    this.type = mode & S_IFMT;
  }

  private get s() { return this.fs.store; }

  override get removed(): boolean { return this.type === S_IFDIR && !this.s.get(this.ino); }

  stat(): Stat {
    const r = this.fs.row(this.ino);
    const p = this.fs.pending.get(this.ino);
    let size = 0, blocks = 0;
    if (this.type === S_IFREG) ({ size, blocks } = this.fs.blobs.size(this.ino));
    else if (this.type === S_IFLNK) size = r.target?.length ?? 0;
    else if (this.type === S_IFDIR) { size = 4096; blocks = 8; }
    return {
      dev: this.fs.dev, ino: this.ino, mode: r.mode, nlink: r.nlink, uid: r.uid, gid: r.gid, rdev: r.rdev, size,
      blksize: 4096, blocks, atimeNs: p?.atime ?? r.atime, mtimeNs: p?.mtime ?? r.mtime, ctimeNs: p?.ctime ?? r.ctime,
      btimeNs: r.btime,
    };
  }

  override lookup(name: string, _t: Task): VolNode {
    if (!this.isDir) throw err(E.ENOTDIR);
    const e = this.s.lookup(this.ino, name);
    if (!e) throw err(E.ENOENT);
    return this.fs.node(e.ino, e.mode);
  }

  override readdir(_t: Task): DirEntry[] {
    return this.s.list(this.ino).map((e) => ({ name: e.name, ino: e.ino, type: dtype(e.mode) }));
  }

  override open(d: Dentry, flags: number, t: Task): OpenFile {
    switch (this.type) {
      case S_IFREG: return new VolFile(flags, d, this);
      case S_IFIFO: return this.fs.fifos.open(this.ino, d, flags);
      case S_IFCHR: return t.kernel.vfs.chrdevs.open(this.fs.row(this.ino).rdev, d, flags, t);
      case S_IFBLK: throw err(E.ENXIO, 'volfs: no block devices');
      default: throw err(E.ENXIO); // sockets are reached through connect(2), not open(2)
    }
  }

  /** A new inode named `name` here; the directory's times change with it (one transaction). */
  private make(name: string, n: NewNode, extra: Partial<NewInode> = {}): VolNode {
    const now = nowNs();
    const ino = this.s.tx(() => {
      if (!this.s.get(this.ino)) throw err(E.ENOENT); // the directory was removed
      if (this.s.lookup(this.ino, name)) throw err(E.EEXIST);
      const dir = isDir(n.mode);
      const ino = this.s.insert({
        mode: n.mode, uid: n.uid, gid: n.gid, nlink: dir ? 2 : 1, rdev: 0, atime: now, mtime: now, ctime: now,
        btime: now, target: null, ...extra,
      });
      this.s.addEntry(this.ino, name, ino);
      if (dir) this.s.addLinks(this.ino, 1, now);
      this.s.update(this.ino, { mtime: now, ctime: now });
      return ino; // a regular file's blob comes at its first open
    });
    return this.fs.node(ino, n.mode);
  }

  override create(name: string, n: NewNode): Node { return this.make(name, n); }
  override mkdir(name: string, n: NewNode): Node { return this.make(name, n); }
  override symlink(name: string, target: string, n: NewNode): Node { return this.make(name, n, { target }); }

  /** FIFOs, sockets, and device nodes (the caller checked the privilege for devices). */
  override mknod(name: string, n: NewNode, rdev: number): Node {
    const type = n.mode & S_IFMT;
    if (![S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK, S_IFREG].includes(type)) throw err(E.EINVAL);
    return this.make(name, n, { rdev: type === S_IFCHR || type === S_IFBLK ? rdev >>> 0 : 0 });
  }

  override tmpfile(n: NewNode, linkable: boolean): Node {
    const now = nowNs();
    const ino = this.s.tx(() => {
      if (!this.s.get(this.ino)) throw err(E.ENOENT);
      return this.s.insert({ mode: n.mode, uid: n.uid, gid: n.gid, nlink: 0, rdev: 0, atime: now, mtime: now,
        ctime: now, btime: now, target: null });
    });
    if (linkable) this.fs.linkable.add(ino);
    return this.fs.node(ino, n.mode);
  }

  /** linkat(2): an inode with no names left can only be named again if it is a linkable O_TMPFILE. */
  override link(name: string, target: Node): void {
    if (!(target instanceof VolNode) || target.fs !== this.fs) throw err(E.EXDEV);
    const now = nowNs();
    this.s.tx(() => {
      const r = this.fs.row(target.ino);
      if (isDir(r.mode)) throw err(E.EPERM);
      if (r.nlink === 0 && !this.fs.linkable.has(target.ino)) throw err(E.ENOENT);
      if (r.nlink >= LINK_MAX) throw err(E.EMLINK);
      if (this.s.lookup(this.ino, name)) throw err(E.EEXIST);
      this.s.addEntry(this.ino, name, target.ino);
      this.s.addLinks(target.ino, 1, now);
      this.s.update(this.ino, { mtime: now, ctime: now });
    });
    this.fs.linkable.delete(target.ino);
  }

  override unlink(name: string): void {
    const now = nowNs();
    this.s.tx(() => {
      const e = this.s.lookup(this.ino, name);
      if (!e) throw err(E.ENOENT);
      if (isDir(e.mode)) throw err(E.EISDIR);
      this.s.removeEntry(this.ino, name);
      this.s.update(this.ino, { mtime: now, ctime: now });
      this.fs.dropLink(e.ino, now);
    });
  }

  override rmdir(name: string): void {
    const now = nowNs();
    this.s.tx(() => {
      const e = this.s.lookup(this.ino, name);
      if (!e) throw err(E.ENOENT);
      if (!isDir(e.mode)) throw err(E.ENOTDIR);
      if (this.s.hasChildren(e.ino)) throw err(E.ENOTEMPTY);
      this.s.removeEntry(this.ino, name);
      this.fs.destroy(e.ino);
      this.s.addLinks(this.ino, -1, now);
      this.s.update(this.ino, { mtime: now });
    });
  }

  /** renameat2: atomic in one transaction; a replaced directory must be empty, a replaced file loses a link. */
  override rename(name: string, newDir: Node, newName: string, flags: number): void {
    if (!(newDir instanceof VolNode) || newDir.fs !== this.fs) throw err(E.EXDEV);
    const to = newDir.ino;
    const now = nowNs();
    this.s.tx(() => {
      const src = this.s.lookup(this.ino, name);
      if (!src) throw err(E.ENOENT);
      const dst = this.s.lookup(to, newName);
      const moved = to !== this.ino;
      if (flags & RENAME_EXCHANGE) {
        if (!dst) throw err(E.ENOENT);
        this.s.setEntry(this.ino, name, dst.ino);
        this.s.setEntry(to, newName, src.ino);
        if (moved && isDir(src.mode) !== isDir(dst.mode)) {
          const d = isDir(src.mode) ? 1 : -1;
          this.s.addLinks(to, d, now);
          this.s.addLinks(this.ino, -d, now);
        }
        this.s.update(dst.ino, { ctime: now });
      } else {
        if (dst?.ino === src.ino) return; // two names of one inode: nothing to do (POSIX)
        if (dst) {
          if (isDir(dst.mode)) {
            if (!isDir(src.mode)) throw err(E.EISDIR);
            if (this.s.hasChildren(dst.ino)) throw err(E.ENOTEMPTY);
            this.fs.destroy(dst.ino);
            this.s.addLinks(to, -1, now);
          } else {
            if (isDir(src.mode)) throw err(E.ENOTDIR);
            this.fs.dropLink(dst.ino, now);
          }
          this.s.setEntry(to, newName, src.ino);
        } else this.s.addEntry(to, newName, src.ino);
        this.s.removeEntry(this.ino, name);
        if (moved && isDir(src.mode)) {
          this.s.addLinks(this.ino, -1, now);
          this.s.addLinks(to, 1, now);
        }
      }
      this.s.update(src.ino, { ctime: now });
      this.s.update(this.ino, { mtime: now, ctime: now });
      if (moved) this.s.update(to, { mtime: now, ctime: now });
    });
  }

  override readlink(_t: Task): string {
    const r = this.fs.row(this.ino);
    if (r.target === null) throw err(E.EINVAL);
    return r.target;
  }

  /** chmod/chown/utimens/truncate; ctime always moves (an explicit time replaces a pending one). */
  override setattr(a: SetAttr): void {
    const now = nowNs();
    this.fs.flushTimes(this.ino);
    this.s.tx(() => {
      const r = this.fs.row(this.ino);
      const cols: Partial<NewInode> = { ctime: now };
      if (a.mode !== undefined) cols.mode = (r.mode & S_IFMT) | (a.mode & 0o7777);
      if (a.uid !== undefined) cols.uid = a.uid;
      if (a.gid !== undefined) cols.gid = a.gid;
      if (a.atimeNs !== undefined) cols.atime = a.atimeNs;
      if (a.mtimeNs !== undefined) cols.mtime = a.mtimeNs;
      if (a.size !== undefined) {
        if (this.type !== S_IFREG) throw err(E.EINVAL);
        this.fs.blobs.truncate(this.ino, a.size);
        cols.mtime = now;
      }
      this.s.update(this.ino, cols);
    });
  }

  override getxattr(name: string): Uint8Array {
    const v = this.s.getXattr(this.ino, name);
    if (!v) throw err(E.ENODATA);
    return v;
  }

  override listxattr(): string[] { return this.s.listXattrs(this.ino); }

  override setxattr(name: string, value: Uint8Array, flags: number): void {
    this.s.tx(() => {
      const had = this.s.getXattr(this.ino, name) !== null;
      if ((flags & XATTR_CREATE) && had) throw err(E.EEXIST);
      if ((flags & XATTR_REPLACE) && !had) throw err(E.ENODATA);
      this.s.setXattr(this.ino, name, value);
      this.s.update(this.ino, { ctime: nowNs() });
    });
  }

  override removexattr(name: string): void {
    this.s.tx(() => {
      if (!this.s.removeXattr(this.ino, name)) throw err(E.ENODATA);
      this.s.update(this.ino, { ctime: nowNs() });
    });
  }
}
