// Where the VFS reports what the guest did (include/linux/fsnotify.h's hooks): opens, reads, writes,
// attribute changes, closes, and the name operations. Each hook returns at once when nothing is watched.
import { LinuxError } from '../../kernel/errno.js';
import type { Kernel } from '../../kernel/kernel.js';
import { isDir } from '../constants.js';
import type { Dentry } from '../dentry.js';
import type { IoResult, OpenFile } from '../file.js';
import { inodeKey, nodeKey } from '../inode-key.js';
import { IN, type ParentRef, inodeRemoved, nextCookie, notifyDir, notifyInode, watching } from './fsnotify.js';

/** Reporting never fails the operation reported: an inode that cannot be read now (the host removed it) reports nothing. */
function quietly<T>(fn: () => T): T | null {
  try { return fn(); } catch (e) { if (e instanceof LinuxError) return null; throw e; }
}

/** The parent a location reports to: none for a filesystem's root (its parent is in another mount). */
function parentOf(d: Dentry): ParentRef | null {
  const p = d.parent;
  return p && p.mount === d.mount ? { key: nodeKey(p.node), name: d.name } : null;
}

/** An event on an open file (fsnotify_access/modify/open/close); files without a path report nothing. */
export function fileEvent(f: OpenFile, mask: number): void {
  const d = f.dentry;
  if (!watching() || !d || f.isPath) return;
  quietly(() => notifyInode(inodeKey(f), d.node.isDir, mask, parentOf(d), () => f.stat().nlink === 0));
}

/** The same after a read or write: only when bytes moved (vfs_read/vfs_write). */
export function afterIo(f: OpenFile, mask: number, r: IoResult): IoResult {
  if (!watching()) return r;
  const report = (n: number): number => { if (n > 0) fileEvent(f, mask); return n; };
  return typeof r === 'number' ? report(r) : r.then(report);
}

/** The last close of an open file description (__fput → fsnotify_close). */
export function closeEvent(f: OpenFile): void {
  if (watching()) fileEvent(f, f.writable ? IN.CLOSE_WRITE : IN.CLOSE_NOWRITE);
}

/** An attribute change through a path or an fd's location (fsnotify_change). */
export function dentryEvent(d: Dentry, mask: number): void {
  if (watching()) quietly(() => notifyInode(nodeKey(d.node), d.node.isDir, mask, parentOf(d)));
}

/** A directory's key for the events about its entries, read before the operation changes anything. */
export const dirKey = (dir: Dentry): string | null => (watching() ? quietly(() => nodeKey(dir.node)) : null);

/** A new name in dir (fsnotify_create/mkdir/link's IN_CREATE). */
export function createEvent(dir: Dentry, name: string, dirNode: boolean): void {
  if (watching()) quietly(() => notifyDir(nodeKey(dir.node), IN.CREATE, name, dirNode));
}

/** link: IN_ATTRIB for the inode's new link count, then IN_CREATE in the directory (fsnotify_link). */
export function linkEvent(src: Dentry, dir: Dentry, name: string): void {
  if (!watching()) return;
  quietly(() => notifyInode(nodeKey(src.node), false, IN.ATTRIB, null));
  quietly(() => notifyDir(nodeKey(dir.node), IN.CREATE, name, false));
}

/** What a name operation must know of an inode before it changes: its key, type and whether this is its last link. */
export interface Victim { key: string; dir: boolean; last: boolean; }

export function victim(d: Dentry | null): Victim | null {
  if (!d || !watching()) return null;
  return quietly(() => {
    const st = d.node.stat();
    return { key: `${st.dev}:${st.ino}`, dir: isDir(st.mode), last: isDir(st.mode) || st.nlink <= 1 };
  });
}

/** IN_ATTRIB for a changed link count (fsnotify_link_count): the inode's own marks only. */
const linkCount = (v: Victim): void => notifyInode(v.key, v.dir, IN.ATTRIB, null);

/** After its last link went: IN_DELETE_SELF once no open file keeps the inode alive (dentry_unlink_inode). */
function lastLinkGone(k: Kernel, v: Victim): void {
  if (!v.last) return;
  const open = openFilesOf(k, v.key);
  if (open.length === 0) { inodeRemoved(v.key); return; }
  let left = open.length;
  for (const f of open) f.onRelease(() => { if (--left === 0) inodeRemoved(v.key); });
}

/** unlink (IN_ATTRIB first) or rmdir: the inode's own events, then IN_DELETE in the directory (d_delete_notify). */
export function deleteEvent(k: Kernel, dirKey: string | null, name: string, v: Victim | null): void {
  if (!v || dirKey === null) return;
  if (!v.dir) linkCount(v);
  lastLinkGone(k, v);
  notifyDir(dirKey, IN.DELETE, name, v.dir);
}

/** rename: IN_MOVED_FROM/IN_MOVED_TO with one cookie, the replaced target's link count, IN_MOVE_SELF (fsnotify_move). */
export function moveEvent(k: Kernel, from: ParentRef, to: ParentRef, src: Victim, replaced: Victim | null): void {
  const cookie = nextCookie();
  notifyDir(from.key, IN.MOVED_FROM, from.name, src.dir, cookie);
  notifyDir(to.key, IN.MOVED_TO, to.name, src.dir, cookie);
  if (replaced) linkCount(replaced);
  notifyInode(src.key, src.dir, IN.MOVE_SELF, null);
  if (replaced) lastLinkGone(k, replaced);
}

/** Every open file description of the inode in any process (the references that keep an unlinked inode alive). */
function openFilesOf(k: Kernel, key: string): OpenFile[] {
  const seen = new Set<OpenFile>();
  const tables = new Set([...k.tasks.values()].map((t) => t.files));
  for (const files of tables) {
    for (const [, f] of files.entries()) {
      if (f.dentry && !f.isPath && !seen.has(f) && quietly(() => inodeKey(f)) === key) seen.add(f);
    }
  }
  return [...seen];
}
