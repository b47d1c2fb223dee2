// Where bound AF_UNIX sockets are found (net/unix/af_unix.c unix_bind, unix_find_other): the abstract
// namespace by name, filesystem names by the identity of the socket inode bind created. The inode lives in
// the guest's filesystem like any file (ls shows it, unlink removes the name, link/rename keep it), so connect
// walks the path with the caller's permissions and asks this registry which socket owns the inode it reached.
import { E, LinuxError, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { AT_FDCWD, S_IFMT, S_IFSOCK, W_OK } from '../fs/constants.js';
import { mknodAt, unlinkAt } from '../fs/namespace.js';
import { checkAccess } from '../fs/permission.js';
import type { Stat } from '../fs/stat.js';
import { type UnixAddress, autobindAddress } from './unix-address.js';

/** What the registry needs of a socket. */
export interface Bindable {
  address: UnixAddress | null;
  readonly type: number;
  /** Run at the socket's last close. */
  onRelease(h: () => void): unknown;
}

/** An inode's identity: (dev, ino), and its birth time where the filesystem keeps one (a reused ino is another file). */
const inodeKey = (st: Stat): string => `${st.dev}:${st.ino}:${st.btimeNs ?? ''}`;

export class UnixNames<S extends Bindable = Bindable> {
  private readonly abstract = new Map<string, S>();
  private readonly inodes = new Map<string, S>();
  private readonly inodeOf = new Map<S, string>();
  private nextAuto = Math.floor(Math.random() * 0x100000);

  /** bind(2) to a path: the socket inode is made as mknod would (umask applied, EADDRINUSE if the name exists). */
  bindPath(t: Task, s: S, addr: UnixAddress): void {
    let node;
    try {
      node = mknodAt(t, AT_FDCWD, addr.path!, S_IFSOCK | 0o777, 0);
    } catch (e) {
      throw e instanceof LinuxError && e.errno === E.EEXIST ? err(E.EADDRINUSE) : e;
    }
    if (s.address) { // unix_bind_bsd checks this only after creating the name, and removes it again
      unlinkAt(t, AT_FDCWD, addr.path!);
      throw err(E.EINVAL);
    }
    const key = inodeKey(node.stat());
    this.inodes.set(key, s);
    this.inodeOf.set(s, key);
    this.named(s, addr);
  }

  /** bind(2) to an abstract name. */
  bindAbstract(s: S, addr: UnixAddress): void {
    if (s.address) throw err(E.EINVAL);
    if (this.abstract.has(addr.key)) throw err(E.EADDRINUSE);
    this.abstract.set(addr.key, s);
    this.named(s, addr);
  }

  private named(s: S, addr: UnixAddress): void {
    s.address = addr;
    s.onRelease(() => this.release(s));
  }

  /** unix_autobind: a free abstract name of five hex digits; nothing to do for a bound socket. */
  autobind(s: S): void {
    if (s.address) return;
    for (let i = 0; i <= 0xfffff; i++) {
      const a = autobindAddress(this.nextAuto++);
      if (!this.abstract.has(a.key)) { this.bindAbstract(s, a); return; }
    }
    throw err(E.ENOSPC);
  }

  /**
   * unix_find_other: the socket bound at `addr`. A path needs write permission on the inode; a name with no
   * socket of ours behind it (a stale inode, not a socket) is ECONNREFUSED; another socket type EPROTOTYPE.
   */
  find(t: Task, addr: UnixAddress, type: number): S {
    let s: S | undefined;
    if (addr.path === null) s = this.abstract.get(addr.key);
    else {
      const st = t.kernel.vfs.lookup(t, addr.path).node.stat();
      checkAccess(st, t.creds, W_OK);
      if ((st.mode & S_IFMT) === S_IFSOCK) s = this.inodes.get(inodeKey(st));
    }
    if (!s) throw err(E.ECONNREFUSED);
    if (s.type !== type) throw err(E.EPROTOTYPE);
    return s;
  }

  /** The socket is gone (unix_release_sock): its names lead nowhere now (a path's inode stays, refusing). */
  private release(s: S): void {
    if (!s.address) return;
    if (s.address.path === null) { if (this.abstract.get(s.address.key) === s) this.abstract.delete(s.address.key); return; }
    const key = this.inodeOf.get(s);
    if (key !== undefined && this.inodes.get(key) === s) this.inodes.delete(key);
    this.inodeOf.delete(s);
  }
}
