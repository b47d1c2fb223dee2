// tmpfs inodes (mm/shmem.c, fs/libfs.c simple_*): directories, regular files (pages), symlinks, FIFOs,
// sockets and device nodes, held in memory with Linux's link counts, sizes and timestamps.
import { E, err } from '../../kernel/errno.js';
import type { Task } from '../../kernel/task.js';
import {
  O, RENAME_EXCHANGE, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_ISGID, dtype,
} from '../constants.js';
import type { Dentry } from '../dentry.js';
import type { OpenFile } from '../file.js';
import { Node, type DirEntry, type NewNode } from '../node.js';
import { type SetAttr, type Stat, nowNs } from '../stat.js';
import { PageStore } from './pages.js';
import { TmpFile } from './tmp-file.js';
import type { TmpFs } from './tmpfs.js';

/** shmem counts 20 bytes per directory entry in a directory's size (BOGO_DIRENT_SIZE), "." and ".." included. */
const BOGO_DIRENT_SIZE = 20;

export class TmpNode extends Node {
  readonly ino: number;
  nlink = 1;
  atimeNs: bigint; mtimeNs: bigint; ctimeNs: bigint;
  readonly btimeNs: bigint;
  /** Directories: the entries. */
  readonly children: Map<string, TmpNode> | null;
  /** Regular files: the contents. */
  readonly pages: PageStore | null;
  /** Open descriptions of a regular file: its pages live on after the last unlink until they are closed. */
  opens = 0;
  /** An O_TMPFILE file that linkat may still give a name (I_LINKABLE). */
  linkable = false;

  constructor(readonly fs: TmpFs, public mode: number, public uid: number, public gid: number,
    readonly rdev = 0, readonly target = '') {
    super();
    fs.budget.chargeInode();
    this.ino = fs.ino();
    this.atimeNs = this.mtimeNs = this.ctimeNs = this.btimeNs = nowNs();
    const type = mode & S_IFMT;
    this.children = type === S_IFDIR ? new Map() : null;
    this.pages = type === S_IFREG ? new PageStore(fs.budget) : null;
    if (type === S_IFDIR) this.nlink = 2;
  }

  get type(): number { return this.mode & S_IFMT; }
  override get removed(): boolean { return this.children !== null && this.nlink === 0; }

  stat(): Stat {
    const size = this.children ? (this.children.size + 2) * BOGO_DIRENT_SIZE : this.pages ? this.pages.size
      : this.isSymlink ? Buffer.byteLength(this.target, 'latin1') : 0;
    return {
      dev: this.fs.dev, ino: BigInt(this.ino), mode: this.mode, nlink: this.nlink, uid: this.uid, gid: this.gid,
      rdev: this.rdev, size, blksize: 4096, blocks: (this.pages?.allocated ?? 0) * 8,
      atimeNs: this.atimeNs, mtimeNs: this.mtimeNs, ctimeNs: this.ctimeNs, btimeNs: this.btimeNs,
    };
  }

  private dir(): Map<string, TmpNode> {
    if (!this.children) throw err(E.ENOTDIR);
    return this.children;
  }

  /** A directory's mtime and ctime move with every entry added or removed. */
  private touchDir(): void { this.mtimeNs = this.ctimeNs = nowNs(); }

  override lookup(name: string, _t: Task): Node {
    const n = this.dir().get(name);
    if (!n) throw err(E.ENOENT);
    return n;
  }

  override readdir(_t: Task): DirEntry[] {
    return [...this.dir()].map(([name, n]) => ({ name, ino: BigInt(n.ino), type: dtype(n.mode) }));
  }

  /** A new node: in a setgid directory it takes the directory's group, and a directory the setgid bit (inode_init_owner). */
  private add(name: string, n: NewNode, rdev = 0, target = ''): TmpNode {
    const dir = this.dir();
    if (dir.has(name)) throw err(E.EEXIST);
    const node = this.born(n, rdev, target);
    dir.set(name, node);
    if (node.children) this.nlink++;
    this.touchDir();
    return node;
  }

  private born(n: NewNode, rdev = 0, target = ''): TmpNode {
    let { mode, gid } = n;
    if (this.mode & S_ISGID) { gid = this.gid; if ((mode & S_IFMT) === S_IFDIR) mode |= S_ISGID; }
    return new TmpNode(this.fs, mode, n.uid, gid, rdev, target);
  }

  /** O_TMPFILE (shmem_tmpfile): a regular file with no name; `linkable` (no O_EXCL) lets linkat name it once. */
  override tmpfile(n: NewNode, linkable: boolean): Node {
    this.dir();
    const node = this.born({ ...n, mode: S_IFREG | (n.mode & 0o7777) });
    node.nlink = 0;
    node.linkable = linkable;
    return node;
  }

  override create(name: string, n: NewNode): Node { return this.add(name, { ...n, mode: S_IFREG | (n.mode & 0o7777) }); }
  override mkdir(name: string, n: NewNode): Node { return this.add(name, { ...n, mode: S_IFDIR | (n.mode & 0o7777) }); }
  override mknod(name: string, n: NewNode, rdev: number): Node {
    const type = n.mode & S_IFMT;
    return this.add(name, n, type === S_IFCHR || type === S_IFBLK ? rdev : 0);
  }
  override symlink(name: string, target: string, n: NewNode): Node {
    if (target.length >= 4096) throw err(E.ENAMETOOLONG);
    return this.add(name, { ...n, mode: S_IFLNK | 0o777 }, 0, target);
  }

  override link(name: string, target: Node): void {
    if (!(target instanceof TmpNode) || target.fs !== this.fs) throw err(E.EXDEV);
    const dir = this.dir();
    if (dir.has(name)) throw err(E.EEXIST);
    if (target.nlink === 0 && !target.linkable) throw err(E.ENOENT); // an unlinked file cannot get a name back
    target.linkable = false;
    dir.set(name, target);
    target.nlink++;
    target.ctimeNs = nowNs();
    this.touchDir();
  }

  override unlink(name: string): void {
    const n = this.entry(name);
    if (n.children) throw err(E.EISDIR);
    this.dir().delete(name);
    this.touchDir();
    n.dropLink();
  }

  override rmdir(name: string): void {
    const n = this.entry(name);
    if (!n.children) throw err(E.ENOTDIR);
    if (n.children.size) throw err(E.ENOTEMPTY);
    this.dir().delete(name);
    this.nlink--;
    this.touchDir();
    n.nlink = 0;
    n.free();
  }

  private entry(name: string): TmpNode {
    const n = this.dir().get(name);
    if (!n) throw err(E.ENOENT);
    return n;
  }

  /** One name fewer: the inode goes when it has no name and no open description left. */
  private dropLink(): void {
    this.nlink--;
    this.ctimeNs = nowNs();
    if (this.nlink === 0 && this.opens === 0) this.free();
  }

  /** Give the inode's pages and its inode count back to the filesystem. */
  free(): void {
    this.pages?.free();
    this.fs.budget.releaseInode();
  }

  /** renameat2 (shmem_rename2): replace (an empty directory by a directory), RENAME_NOREPLACE, RENAME_EXCHANGE. */
  override rename(name: string, newDir: Node, newName: string, flags: number): void {
    if (!(newDir instanceof TmpNode) || newDir.fs !== this.fs) throw err(E.EXDEV);
    const src = this.entry(name);
    const to = newDir.dir();
    const dst = to.get(newName);
    if (dst === src) return;
    if (flags & RENAME_EXCHANGE) {
      if (!dst) throw err(E.ENOENT);
      this.dir().set(name, dst);
      to.set(newName, src);
      if (!!src.children !== !!dst.children && this !== newDir) {
        const [from, into] = src.children ? [this, newDir] : [newDir, this];
        from.nlink--; into.nlink++;
      }
    } else {
      if (dst) {
        if (dst.children && dst.children.size) throw err(E.ENOTEMPTY);
        to.delete(newName);
        if (dst.children) { newDir.nlink--; dst.nlink = 0; dst.free(); } else dst.dropLink();
      }
      this.dir().delete(name);
      to.set(newName, src);
      if (src.children && this !== newDir) { this.nlink--; newDir.nlink++; }
    }
    src.ctimeNs = nowNs();
    if (dst) dst.ctimeNs = src.ctimeNs;
    this.touchDir();
    newDir.touchDir();
  }

  override readlink(_t: Task): string {
    if (!this.isSymlink) throw err(E.EINVAL);
    this.atimeNs = nowNs();
    return this.target;
  }

  override setattr(a: SetAttr): void {
    if (a.size !== undefined) {
      if (!this.pages) throw err(this.children ? E.EISDIR : E.EINVAL);
      if (a.size > this.fs.maxFileSize) throw err(E.EFBIG);
      this.pages.truncate(a.size);
      this.mtimeNs = nowNs();
    }
    if (a.mode !== undefined) this.mode = (this.mode & S_IFMT) | (a.mode & 0o7777);
    if (a.uid !== undefined) this.uid = a.uid;
    if (a.gid !== undefined) this.gid = a.gid;
    if (a.atimeNs !== undefined) this.atimeNs = a.atimeNs;
    if (a.mtimeNs !== undefined) this.mtimeNs = a.mtimeNs;
    this.ctimeNs = nowNs();
  }

  override open(d: Dentry, flags: number, t: Task): OpenFile {
    switch (this.type) {
      case S_IFREG:
        if (flags & O.TRUNC) this.setattr({ size: 0 });
        return new TmpFile(flags, d, this);
      case S_IFIFO:
        return this.fs.fifos.open(this.ino, d, flags);
      case S_IFCHR:
        return t.kernel.vfs.chrdevs.open(this.rdev, d, flags, t);
      default:
        throw err(E.ENXIO); // sockets are reached with connect(2); no block devices exist
    }
  }
}
