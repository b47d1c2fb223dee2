// VolFs: the persistent root filesystem of installed distros. Every Linux attribute (type, mode, owner,
// device number, ns timestamps, link count, xattrs) lives in the store (store.ts); regular files' bytes in
// blobs named by inode number (blobs.ts). The host never resolves a guest name: the VFS walks every
// component itself and VolFs answers from the store, so a symlink can only lead inside the distro.
import * as fs from 'node:fs';
import { E, err } from '../../kernel/errno.js';
import { MAGIC, S_IFMT, S_IFREG } from '../constants.js';
import { type FileSystem } from '../node.js';
import { FifoPipes } from '../pipe.js';
import type { StatFs } from '../stat.js';
import { Blobs } from './blobs.js';
import { type InodeRow, ROOT_INO, Store } from './store.js';
import { VolNode } from './vol-node.js';

/** Times an open file changed that are written to the store at close or fsync (not at every write). */
export interface PendingTimes { atime?: bigint; mtime?: bigint; ctime?: bigint; }

export class VolFs implements FileSystem {
  readonly type = 'volfs';
  readonly dev: number;
  readonly root: VolNode;
  readonly store: Store;
  readonly blobs: Blobs;
  /** Open file descriptions per inode: an unlinked inode lives until its last close. */
  private readonly opens = new Map<bigint, number>();
  /** Times of open files not yet in the store. */
  readonly pending = new Map<bigint, PendingTimes>();
  /** O_TMPFILE inodes that linkat may give a name (not opened with O_EXCL). */
  readonly linkable = new Set<bigint>();
  /** The pipe of each FIFO while it is open (fs/fifo.c: the pipe lives with the inode's openers). */
  readonly fifos = new FifoPipes<bigint>();

  /** Open (creating when new) the store in `distroDir`; inodes orphaned by a crash are freed now. */
  constructor(readonly distroDir: string) {
    this.store = new Store(distroDir);
    this.blobs = new Blobs(distroDir);
    this.dev = Number(fs.statSync(distroDir).dev & 0xffffffff) >>> 0;
    this.root = new VolNode(this, ROOT_INO, this.store.get(ROOT_INO)!.mode);
    const cleanlyClosed = this.store.markOpen();
    this.store.tx(() => { for (const o of this.store.orphans()) this.destroy(o.ino); });
    if (!cleanlyClosed) this.sweepBlobs();
  }

  /** After a crash: blobs whose inode is gone (deleted just before the crash) are removed. */
  private sweepBlobs(): void {
    for (const ino of this.blobs.all()) {
      const r = this.store.get(ino);
      if (!r || (r.mode & S_IFMT) !== S_IFREG) this.blobs.remove(ino);
    }
  }

  node(ino: bigint, mode: number): VolNode { return new VolNode(this, ino, mode); }

  row(ino: bigint): InodeRow {
    const r = this.store.get(ino);
    if (!r) throw err(E.ESTALE, `volfs: inode ${ino} is gone`);
    return r;
  }

  /** statfs: ext4's magic (it is a disk filesystem to the guest), space and inodes from the host. */
  statfs(): StatFs {
    const s = fs.statfsSync(this.distroDir);
    return {
      type: MAGIC.EXT4, bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files,
      ffree: s.ffree, fsid: [this.dev, 0], namelen: 255, frsize: s.bsize, flags: 0,
    };
  }

  opened(ino: bigint): void { this.opens.set(ino, (this.opens.get(ino) ?? 0) + 1); }
  isOpen(ino: bigint): boolean { return (this.opens.get(ino) ?? 0) > 0; }

  /** Last close of a description: write its pending times, free the inode if it has no name left. */
  closed(ino: bigint): void {
    const n = (this.opens.get(ino) ?? 1) - 1;
    if (n > 0) { this.opens.set(ino, n); return; }
    this.opens.delete(ino);
    this.flushTimes(ino);
    const r = this.store.get(ino);
    if (r && r.nlink === 0) this.store.tx(() => this.destroy(ino));
  }

  /** Record times of an open file (written at close/fsync). */
  touch(ino: bigint, t: PendingTimes): void { this.pending.set(ino, { ...this.pending.get(ino), ...t }); }

  flushTimes(ino: bigint): void {
    const p = this.pending.get(ino);
    if (!p) return;
    this.pending.delete(ino);
    this.store.update(ino, p);
  }

  /** Remove an inode with no names: its row and xattrs, and its blob once that is committed. */
  destroy(ino: bigint): void {
    this.store.remove(ino);
    this.store.afterCommit(() => this.blobs.remove(ino));
    this.linkable.delete(ino);
  }

  /** A name was removed from `ino`: free it now, or at its last close when it is open. */
  dropLink(ino: bigint, now: bigint): void {
    this.store.addLinks(ino, -1, now);
    if (this.store.get(ino)!.nlink <= 0 && !this.isOpen(ino)) this.destroy(ino);
  }

  /** syncfs(2): every pending time, then the store durable on the disk. */
  sync(): void {
    for (const ino of [...this.pending.keys()]) this.flushTimes(ino);
    this.store.sync();
  }

  /** Close the store (after the kernel using it is gone). */
  close(): void {
    for (const ino of [...this.pending.keys()]) this.flushTimes(ino);
    this.store.close(true);
  }
}
