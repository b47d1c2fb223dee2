// inotify_init(2), inotify_init1(2), inotify_add_watch(2), inotify_rm_watch(2) (fs/notify/inotify/inotify_user.c).
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { AT_FDCWD, O, R_OK } from '../fs/constants.js';
import { nodeKey } from '../fs/inode-key.js';
import { IN, IN_ALL_EVENTS } from '../fs/notify/fsnotify.js';
import { InotifyFile } from '../fs/notify/inotify.js';
import { checkAccess } from '../fs/permission.js';
import { partial, type SyscallDef } from './types.js';
import { pathArg } from './fs-util.js';

const NOTE = 'events come from the guest\'s own operations through the VFS (changes made by the host behind pbash are not seen; exec\'s own open and reads report nothing); IN_UNMOUNT never sent; max_user_watches/max_user_instances not enforced';
const ALL_INOTIFY_BITS = IN_ALL_EVENTS | IN.UNMOUNT | IN.Q_OVERFLOW | IN.IGNORED | IN.ONLYDIR | IN.DONT_FOLLOW |
  IN.EXCL_UNLINK | IN.MASK_CREATE | IN.MASK_ADD | IN.ISDIR | IN.ONESHOT;

function init1(t: Task, flags: number): number {
  if (flags & ~(O.NONBLOCK | O.CLOEXEC)) throw err(E.EINVAL);
  return t.files.install(() => new InotifyFile(O.RDONLY | (flags & O.NONBLOCK)), (flags & O.CLOEXEC) !== 0);
}

/** The instance behind fd: EBADF when closed, EINVAL when it is not an inotify fd. */
function instance(t: Task, fd: number): InotifyFile {
  const f = t.files.get(fd);
  if (!(f instanceof InotifyFile)) throw err(E.EINVAL);
  return f;
}

/** inotify_add_watch(2): the path resolved (IN_DONT_FOLLOW, IN_ONLYDIR) and readable by the caller. */
function addWatch(t: Task, fd: number, p: number, mask: number): number {
  if ((mask & ~ALL_INOTIFY_BITS) || !(mask & ALL_INOTIFY_BITS)) throw err(E.EINVAL);
  t.files.get(fd);
  if ((mask & IN.MASK_ADD) && (mask & IN.MASK_CREATE)) throw err(E.EINVAL);
  const ino = instance(t, fd);
  const d = t.kernel.vfs.at(t, AT_FDCWD, pathArg(t, p), 0, !(mask & IN.DONT_FOLLOW));
  if ((mask & IN.ONLYDIR) && !d.node.isDir) throw err(E.ENOTDIR);
  checkAccess(d.node.stat(), t.creds, R_OK);
  return ino.addWatch(nodeKey(d.node), mask);
}

export const inotifySyscalls: SyscallDef[] = [
  // inotify_init(2)
  partial(253, 'inotify_init', [], NOTE, (t) => init1(t, 0)),
  // inotify_init1(2): IN_NONBLOCK, IN_CLOEXEC
  partial(294, 'inotify_init1', ['flags'], NOTE, init1),
  // inotify_add_watch(2)
  partial(254, 'inotify_add_watch', ['fd', 'path', 'uint'], NOTE, addWatch),
  // inotify_rm_watch(2): IN_IGNORED follows
  partial(255, 'inotify_rm_watch', ['fd', 'int'], NOTE, (t, fd, wd) => { instance(t, fd).rmWatch(wd); return 0; }),
];
