// Populating a VolFs store from outside the kernel (image import, tar extraction): entries with their full
// metadata at guest paths. Paths are byte strings (latin1) relative to the distro root; "." components are
// skipped, ".." refused, a non-directory (a symlink included) in the middle of a path refused, so nothing
// is written outside the tree whatever the input. Missing parent directories are made (0755 root) and take
// their metadata when their own entry comes. Work is committed in batches; close() commits the rest.
// Do not write a store that a running kernel has mounted.
import * as fs from 'node:fs';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, isDir } from '../constants.js';
import { nowNs } from '../stat.js';
import { Blobs } from './blobs.js';
import { ROOT_INO, Store } from './store.js';

/** Metadata of an entry; `mode` carries the permission bits (and the type for mknod). */
export interface EntryMeta {
  mode: number;
  uid: number;
  gid: number;
  mtimeNs: bigint;
  atimeNs?: bigint;
  /** Extended attributes by full name ("user.x", "security.capability"). */
  xattrs?: ReadonlyMap<string, Uint8Array> | Record<string, Uint8Array>;
}

/** A regular file's contents: bytes, a stream of chunks, or a host file to copy (sparse holes kept where the host keeps them). */
export type Contents = Uint8Array | AsyncIterable<Uint8Array> | { hostFile: string };

export class WriterError extends Error {}

const BATCH = 2000;

export class VolWriter {
  private readonly store: Store;
  private readonly blobs: Blobs;
  private pending = 0;
  /** Directories by path (directories are never removed or replaced here, so the map stays true). */
  private readonly dirs = new Map<string, bigint>();

  constructor(distroDir: string) {
    this.store = new Store(distroDir);
    this.blobs = new Blobs(distroDir);
    this.store.markOpen(); // an interrupted import leaves the store marked open: the next mount sweeps its blobs
  }

  /** Make a directory, or give an existing one this metadata (the root is ""). */
  mkdir(path: string, meta: EntryMeta): void {
    const { parent, name } = this.where(path);
    if (name === null) { this.apply(ROOT_INO, meta, S_IFDIR); return; }
    const e = this.store.lookup(parent, name);
    if (e && isDir(e.mode)) { this.apply(e.ino, meta, S_IFDIR); return; }
    this.replace(parent, name);
    this.add(parent, name, S_IFDIR, meta);
  }

  /** A regular file (replacing a non-directory of that name). */
  async file(path: string, meta: EntryMeta, contents: Contents): Promise<void> {
    const ino = this.fileSync(path, meta, contents instanceof Uint8Array || 'hostFile' in contents ? contents : new Uint8Array(0));
    if (contents instanceof Uint8Array || 'hostFile' in contents) return;
    const fd = fs.openSync(this.blobs.path(ino), fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW);
    try {
      for await (const chunk of contents) fs.writeSync(fd, chunk);
    } finally { fs.closeSync(fd); }
  }

  /** A regular file from bytes or a host file, synchronously; returns its inode number. */
  fileSync(path: string, meta: EntryMeta, contents: Uint8Array | { hostFile: string }): bigint {
    const { parent, name } = this.named(path);
    this.replace(parent, name);
    const ino = this.add(parent, name, S_IFREG, meta);
    const blob = this.blobs.prepare(ino);
    if (contents instanceof Uint8Array) fs.writeFileSync(blob, contents, { mode: 0o600 });
    else {
      try { fs.copyFileSync(contents.hostFile, blob); } catch (e) { this.replace(parent, name); throw e; } // no entry without its data
    }
    return ino;
  }

  symlink(path: string, target: string, meta: EntryMeta): void {
    const { parent, name } = this.named(path);
    this.replace(parent, name);
    this.add(parent, name, S_IFLNK, meta, { target });
  }

  /** FIFO, socket, character or block device: the type in meta.mode; rdev for devices (makedev encoding). */
  mknod(path: string, meta: EntryMeta, rdev = 0): void {
    const type = meta.mode & S_IFMT;
    if (![S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK].includes(type)) throw new WriterError(`${path}: mknod of type ${type.toString(8)}`);
    const { parent, name } = this.named(path);
    this.replace(parent, name);
    this.add(parent, name, type, meta, { rdev: type === S_IFCHR || type === S_IFBLK ? rdev >>> 0 : 0 });
  }

  /** A second name for the non-directory at `existing` (not followed if it is a symlink). */
  hardlink(path: string, existing: string): void {
    const src = this.where(existing);
    const e = src.name === null ? null : this.store.lookup(src.parent, src.name);
    if (!e) throw new WriterError(`${existing}: no such entry to link to`);
    if (isDir(e.mode)) throw new WriterError(`${existing}: a directory cannot be hard-linked`);
    const { parent, name } = this.named(path);
    if (this.store.lookup(parent, name)?.ino === e.ino) return;
    this.replace(parent, name);
    this.tx(() => {
      this.store.addEntry(parent, name, e.ino);
      this.store.addLinks(e.ino, 1, nowNs());
    });
  }

  /** Commit what is pending. */
  flush(): void {
    this.store.commit();
    this.pending = 0;
  }

  /** Commit and close the store (durable on the disk). */
  close(): void {
    this.flush();
    this.store.sync();
    this.store.close(true);
  }

  // --- internals ---

  private tx(fn: () => void): void {
    if (!this.store.db.inTransaction) this.store.db.exec('BEGIN');
    fn();
    if (++this.pending >= BATCH) this.flush();
  }

  /** The directory holding the last component and its name (null for the root itself). */
  private where(path: string): { parent: bigint; name: string | null } {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) throw new WriterError(`${path}: ".." is not allowed in an entry's path`);
    if (parts.some((p) => p.length > 255 || p.includes('\0'))) throw new WriterError(`${path}: invalid name`);
    const parentPath = parts.slice(0, -1).join('/');
    let dir = this.dirs.get(parentPath);
    if (dir === undefined) {
      dir = ROOT_INO;
      for (const p of parts.slice(0, -1)) {
        const e = this.store.lookup(dir, p);
        if (e && !isDir(e.mode)) throw new WriterError(`${path}: ${p} is not a directory`);
        dir = e ? e.ino : this.add(dir, p, S_IFDIR, { mode: 0o755, uid: 0, gid: 0, mtimeNs: nowNs() });
      }
      this.dirs.set(parentPath, dir);
    }
    return { parent: dir, name: parts.length ? parts[parts.length - 1]! : null };
  }

  private named(path: string): { parent: bigint; name: string } {
    const w = this.where(path);
    if (w.name === null) throw new WriterError(`${path}: the root is a directory`);
    return { parent: w.parent, name: w.name };
  }

  /** Remove a non-directory of that name (tar replaces files); a directory in the way is an error. */
  private replace(parent: bigint, name: string): void {
    const e = this.store.lookup(parent, name);
    if (!e) return;
    if (isDir(e.mode)) throw new WriterError(`${name}: a directory is in the way`);
    this.tx(() => {
      this.store.removeEntry(parent, name);
      this.store.addLinks(e.ino, -1, nowNs());
      if (this.store.get(e.ino)!.nlink <= 0) {
        this.store.remove(e.ino);
        this.store.afterCommit(() => this.blobs.remove(e.ino));
      }
    });
  }

  private add(parent: bigint, name: string, type: number, meta: EntryMeta, extra: { target?: string; rdev?: number } = {}): bigint {
    let ino = 0n;
    this.tx(() => {
      const now = nowNs();
      const dir = type === S_IFDIR;
      ino = this.store.insert({
        mode: type | (meta.mode & 0o7777), uid: meta.uid, gid: meta.gid, nlink: dir ? 2 : 1, rdev: extra.rdev ?? 0,
        atime: meta.atimeNs ?? meta.mtimeNs, mtime: meta.mtimeNs, ctime: now, btime: now, target: extra.target ?? null,
      });
      this.store.addEntry(parent, name, ino);
      if (dir) this.store.addLinks(parent, 1, now);
      this.setXattrs(ino, meta); // a regular file's blob is written by the caller
    });
    return ino;
  }

  private apply(ino: bigint, meta: EntryMeta, type: number): void {
    this.tx(() => {
      this.store.update(ino, {
        mode: type | (meta.mode & 0o7777), uid: meta.uid, gid: meta.gid, mtime: meta.mtimeNs,
        atime: meta.atimeNs ?? meta.mtimeNs,
      });
      this.setXattrs(ino, meta);
    });
  }

  private setXattrs(ino: bigint, meta: EntryMeta): void {
    const x = meta.xattrs;
    if (!x) return;
    for (const [k, v] of x instanceof Map ? x : Object.entries(x)) this.store.setXattr(ino, k, v);
  }
}
