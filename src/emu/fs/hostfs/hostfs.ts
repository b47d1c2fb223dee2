// hostfs: a host directory served as a Linux filesystem, metadata from the host.
// Security: the VFS walks every component itself (symlinks resolved inside the guest root), and a node's host
// path is built only from components lstat'ed as real directories, so the host never follows a symlink on our
// behalf; opens add O_NOFOLLOW|O_NONBLOCK and re-check the type with fstat. Device nodes are never opened
// (EACCES, as on a "nodev" mount); a FIFO opens the kernel's own pipe for its inode (Linux processes of the
// instance meet there; a host process opening the same FIFO does not), a socket is ENXIO as on Linux.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { E, err } from '../../kernel/errno.js';
import type { Task } from '../../kernel/task.js';
import { O, RENAME_EXCHANGE, RENAME_NOREPLACE, S_IFBLK, S_IFCHR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK, dtype } from '../constants.js';
import type { Dentry } from '../dentry.js';
import type { OpenFile } from '../file.js';
import { Node, type DirEntry, type FileSystem, type NewNode } from '../node.js';
import type { SetAttr, Stat, StatFs } from '../stat.js';
import { HostFile, hostOpenFlags } from './host-file.js';
import { hostMknod, hostUtimes } from './host-native.js';
import { FifoPipes } from '../pipe.js';
import { host, toStat } from './host-stat.js';
import { hp } from './host-path.js';

const C = fs.constants;
let exchanges = 0;
const hostIsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export class HostFs implements FileSystem {
  readonly type = 'hostfs';
  readonly dev: number;
  readonly root: HostNode;
  /** The pipe of each FIFO while it is open, by host inode number (fs/fifo.c). */
  readonly fifos = new FifoPipes<bigint>();

  /** `hostRoot`: a host directory (a JS string path). */
  constructor(hostRoot: string) {
    const real = fs.realpathSync(nodePath.resolve(hostRoot));
    const st = host(() => fs.statSync(real));
    if (!st.isDirectory()) throw err(E.ENOTDIR, `not a directory: ${hostRoot}`);
    this.dev = st.dev;
    this.root = new HostNode(this, Buffer.from(real).toString('latin1').replace(/\/$/, ''), Number(st.mode));
  }

  /** The stat the guest sees of a host file: the host's own here; DrvFs synthesizes from its mount options. */
  present(st: Stat, _hostPath: string): Stat { return st; }

  /** What of a setattr reaches the host file: all of it here; DrvFs may keep modes and owners itself. */
  hostAttrs(_hostPath: string, a: SetAttr): SetAttr { return a; }

  /** A host path was removed, or renamed over `to` (DrvFs's kept metadata follows). */
  removed(_hostPath: string): void { /* hostfs keeps nothing per path */ }
  renamed(_from: string, _to: string): void { /* hostfs keeps nothing per path */ }

  /** statfs from the host: its own f_type (ext4 0xEF53, tmpfs, ...). */
  statfs(): StatFs {
    const s = host(() => fs.statfsSync(hp(this.root.hostPath || '/')));
    return {
      type: s.type, bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files,
      ffree: s.ffree, fsid: [this.dev >>> 0, 0], namelen: 255, frsize: s.bsize, flags: 0,
    };
  }
}

export class HostNode extends Node {
  /** `hostPath`: byte string (latin1) of the host path, every component walked by us; '' is the host's "/". */
  /** `known`: the attributes found at lookup, what a directory removed from the host still shows (see stat). */
  constructor(readonly fs: HostFs, readonly hostPath: string, private readonly mode: number, private readonly known?: Stat) {
    super();
  }

  get type(): number { return this.mode & S_IFMT; }
  private get p(): Buffer { return hp(this.hostPath || '/'); }
  private child(name: string): string { return `${this.hostPath}/${name}`; }

  /** The host directory is gone from its path (hostfs nodes are paths: one renamed away reads as removed). */
  override get removed(): boolean { return this.isDir && !fs.lstatSync(this.p, { throwIfNoEntry: false }); }

  /** A directory removed meanwhile lives on, with no links, while a cwd or an open fd holds it (as its inode does). */
  stat(): Stat {
    const st = host(() => fs.lstatSync(this.p, { bigint: true, throwIfNoEntry: false }));
    if (st) return this.fs.present(toStat(st), this.hostPath);
    if (this.isDir && this.known) return { ...this.known, nlink: 0 };
    throw err(E.ENOENT);
  }

  override lookup(name: string, _t: Task): HostNode {
    if (!this.isDir) throw err(E.ENOTDIR);
    return this.entry(name);
  }

  /** The node of a name in this directory, typed by lstat (never following a host symlink). */
  private entry(name: string): HostNode {
    const path = this.child(name);
    const st = this.fs.present(toStat(host(() => fs.lstatSync(hp(path), { bigint: true }))), path);
    return new HostNode(this.fs, path, st.mode, st);
  }

  override readdir(_t: Task): DirEntry[] {
    // opendir keeps the host's own order (readdirSync sorts), so listings match the same tree under Linux
    const names = host(() => {
      const dir = fs.opendirSync(this.p as unknown as string, { encoding: 'buffer' as BufferEncoding, bufferSize: 256 });
      const list: Buffer[] = [];
      try {
        for (let e; (e = dir.readSync());) list.push(e.name as unknown as Buffer);
      } finally { dir.closeSync(); }
      return list;
    });
    const out: DirEntry[] = [];
    for (const b of names) {
      const name = b.toString('latin1');
      const st = fs.lstatSync(hp(this.child(name)), { bigint: true, throwIfNoEntry: false });
      if (st) out.push({ name, ino: st.ino, type: dtype(Number(st.mode)) });
    }
    return out;
  }

  override open(d: Dentry, flags: number, _t: Task): OpenFile {
    const t = this.type;
    if (t === S_IFCHR || t === S_IFBLK) throw err(E.EACCES, 'hostfs does not open host devices');
    if (t === S_IFIFO) return this.fs.fifos.open(this.stat().ino, d, flags);
    if (t !== S_IFREG) throw err(E.ENXIO);
    const fd = host(() => fs.openSync(this.p, hostOpenFlags(flags) | C.O_NOFOLLOW));
    if (!fs.fstatSync(fd).isFile()) {
      fs.closeSync(fd);
      throw err(E.ENXIO);
    }
    return new HostFile(flags, d, fd, (st) => this.fs.present(st, this.hostPath));
  }

  override create(name: string, n: NewNode): Node {
    const path = hp(this.child(name));
    const fd = host(() => fs.openSync(path, C.O_CREAT | C.O_EXCL | C.O_WRONLY | C.O_NOFOLLOW, n.mode & 0o7777));
    try {
      // owner first: a chown drops setgid, which the mode may carry (a file made setgid in a setgid directory)
      if (hostIsRoot && (n.uid !== 0 || n.gid !== 0)) host(() => fs.fchownSync(fd, n.uid, n.gid));
      host(() => fs.fchmodSync(fd, n.mode & 0o7777)); // the host's umask must not change the guest's mode
    } finally { fs.closeSync(fd); }
    return this.entry(name);
  }

  override mkdir(name: string, n: NewNode): Node {
    const path = hp(this.child(name));
    host(() => fs.mkdirSync(path, n.mode & 0o7777));
    host(() => fs.chmodSync(path, n.mode & 0o7777));
    this.own(path, n);
    return this.entry(name);
  }

  /** FIFOs and sockets are real host inodes (host-mknod.ts); device nodes are not created (EPERM, as "nodev"). */
  override mknod(name: string, n: NewNode, _rdev: number): Node {
    const type = n.mode & S_IFMT;
    if (type !== S_IFSOCK && type !== S_IFIFO) throw err(E.EPERM, 'hostfs: mknod of devices');
    hostMknod(this.child(name), n.mode);
    this.own(hp(this.child(name)), n);
    return this.entry(name);
  }

  override symlink(name: string, target: string, n: NewNode): Node {
    const path = hp(this.child(name));
    host(() => fs.symlinkSync(hp(target), path));
    this.own(path, n);
    return this.entry(name);
  }

  override link(name: string, target: Node): void {
    // an open file left without names (reached through /proc/self/fd) cannot get one back (vfs_link: ENOENT)
    if (!(target instanceof HostNode)) throw err(target.stat().nlink === 0 ? E.ENOENT : E.EXDEV);
    host(() => fs.linkSync(target.p, hp(this.child(name))));
  }

  override unlink(name: string): void {
    host(() => fs.unlinkSync(hp(this.child(name))));
    this.fs.removed(this.child(name));
  }

  override rmdir(name: string): void {
    host(() => fs.rmdirSync(hp(this.child(name))));
    this.fs.removed(this.child(name));
  }

  /**
   * RENAME_NOREPLACE is checked then renamed, RENAME_EXCHANGE done as three renames through a spare name
   * beside the source (node:fs has no renameat2): neither is atomic against changes made on the host.
   */
  override rename(name: string, newDir: Node, newName: string, flags: number): void {
    if (!(newDir instanceof HostNode)) throw err(E.EXDEV);
    const from = this.child(name), to = newDir.child(newName);
    if ((flags & RENAME_NOREPLACE) && fs.lstatSync(hp(to), { throwIfNoEntry: false })) throw err(E.EEXIST);
    if (!(flags & RENAME_EXCHANGE)) return this.move(from, to);
    const spare = this.child(`.pbash-exchange-${process.pid}-${++exchanges}`);
    this.move(from, spare);
    try { this.move(to, from); } catch (e) { this.move(spare, from); throw e; }
    this.move(spare, to);
  }

  private move(from: string, to: string): void {
    host(() => fs.renameSync(hp(from), hp(to)));
    this.fs.renamed(from, to);
  }

  override readlink(_t: Task): string {
    return host(() => fs.readlinkSync(this.p, { encoding: 'buffer' })).toString('latin1');
  }

  override setattr(attrs: SetAttr): void {
    const p = this.p, a = this.fs.hostAttrs(this.hostPath, attrs);
    if (a.mode !== undefined) host(() => fs.chmodSync(p, a.mode! & 0o7777));
    if (a.uid !== undefined || a.gid !== undefined) {
      const st = this.stat();
      host(() => fs.lchownSync(p, a.uid ?? st.uid, a.gid ?? st.gid));
    }
    if (a.atimeNs !== undefined || a.mtimeNs !== undefined) {
      hostUtimes(this.hostPath || '/', a.atimeNow ? 'now' : a.atimeNs, a.mtimeNow ? 'now' : a.mtimeNs);
    }
    if (a.size !== undefined) host(() => fs.truncateSync(p, a.size));
  }

  private own(path: Buffer, n: NewNode): void {
    if (hostIsRoot && (n.uid !== 0 || n.gid !== 0)) host(() => fs.lchownSync(path, n.uid, n.gid));
  }
}
