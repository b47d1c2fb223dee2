// The filesystem notification core (fs/notify/fsnotify.c): marks attached to inodes by their identity
// (st_dev, st_ino), and the dispatch of an event to the marks of the inode and of its parent directory.
// Events come from the VFS operations the guest performs; a host changing files behind us is not seen.

/** inotify(7) event bits and watch flags (include/uapi/linux/inotify.h). */
export const IN = {
  ACCESS: 0x1, MODIFY: 0x2, ATTRIB: 0x4, CLOSE_WRITE: 0x8, CLOSE_NOWRITE: 0x10, OPEN: 0x20, MOVED_FROM: 0x40,
  MOVED_TO: 0x80, CREATE: 0x100, DELETE: 0x200, DELETE_SELF: 0x400, MOVE_SELF: 0x800, UNMOUNT: 0x2000,
  Q_OVERFLOW: 0x4000, IGNORED: 0x8000, ONLYDIR: 0x1000000, DONT_FOLLOW: 0x2000000, EXCL_UNLINK: 0x4000000,
  MASK_CREATE: 0x10000000, MASK_ADD: 0x20000000, ISDIR: 0x40000000, ONESHOT: 0x80000000,
} as const;
export const IN_ALL_EVENTS = 0xfff;
/** Events an inode's parent directory also hears about, with the child's name (FS_EVENTS_POSS_ON_CHILD). */
const ON_CHILD = IN.ACCESS | IN.MODIFY | IN.ATTRIB | IN.CLOSE_WRITE | IN.CLOSE_NOWRITE | IN.OPEN;

/** A mark on an inode (struct fsnotify_mark): an inotify watch. */
export interface Mark {
  /** Events it wants and its flags (IN_EXCL_UNLINK, IN_ONESHOT...). */
  mask: number;
  /** Queue one event (mask includes IN_ISDIR where due; name for events reported to a directory about a child). */
  deliver(mask: number, name: string | null, cookie: number): void;
  /** The inode is gone (deleted): the mark ends (inotify queues IN_IGNORED). */
  inodeGone(): void;
}

const marks = new Map<string, Set<Mark>>();
let count = 0;
let cookies = 0;

/** Whether any mark exists: every VFS hook returns at once otherwise, so unwatched systems pay nothing. */
export const watching = (): boolean => count > 0;

export function addMark(key: string, m: Mark): void {
  let s = marks.get(key);
  if (!s) marks.set(key, (s = new Set()));
  s.add(m);
  count++;
}

export function removeMark(key: string, m: Mark): void {
  const s = marks.get(key);
  if (!s?.delete(m)) return;
  count--;
  if (s.size === 0) marks.delete(key);
}

/** A fresh cookie tying a rename's IN_MOVED_FROM to its IN_MOVED_TO (fsnotify_get_cookie). */
export const nextCookie = (): number => (cookies = (cookies + 1) >>> 0);

function send(key: string, mask: number, name: string | null, cookie: number, skip?: (m: Mark) => boolean): void {
  const s = marks.get(key);
  if (!s) return;
  for (const m of [...s]) {
    if ((m.mask & mask & IN_ALL_EVENTS) === 0 || skip?.(m)) continue;
    m.deliver(mask, name, cookie);
  }
}

/** A child's parent as events see it: its key and the child's name there. */
export interface ParentRef { key: string; name: string; }

/**
 * An event on an inode (fsnotify_parent + fsnotify): first to the parent directory's marks with the name
 * (for the events a parent hears, and not to IN_EXCL_UNLINK marks once the child is unlinked), then to the
 * inode's own marks.
 */
export function notifyInode(key: string, isDir: boolean, mask: number, parent: ParentRef | null,
  unlinked: () => boolean = () => false): void {
  const m = mask | (isDir ? IN.ISDIR : 0);
  if (parent && (mask & ON_CHILD)) {
    send(parent.key, m, parent.name, 0, (mk) => (mk.mask & IN.EXCL_UNLINK) !== 0 && unlinked());
  }
  send(key, m, null, 0);
}

/** A directory-entry event (create, delete, moved from/to) on the directory's own marks, with the entry's name. */
export function notifyDir(dirKey: string, mask: number, name: string, isDir: boolean, cookie = 0): void {
  send(dirKey, mask | (isDir ? IN.ISDIR : 0), name, cookie);
}

/** The inode is gone (fsnotify_inoderemove): IN_DELETE_SELF, then every mark on it ends. */
export function inodeRemoved(key: string): void {
  send(key, IN.DELETE_SELF, null, 0);
  for (const m of [...(marks.get(key) ?? [])]) m.inodeGone();
}
