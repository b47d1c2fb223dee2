// Mounts and the root: mount(2), umount2(2), chroot(2), pivot_root(2). The logic is in fs/mount-ops.ts.
import { CAP, capable } from '../kernel/capability.js';
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { MNT, doChroot, doMount, doUmount } from '../fs/mount-ops.js';
import { partial, sys, type SyscallDef } from './types.js';
import { pathArg } from './fs-util.js';

/** An optional string argument (source, fstype, data): null for a NULL pointer. */
const optString = (t: Task, p: number): string | null => (p ? t.mem.cstring(p, 4096) : null);

export const mountSyscalls: SyscallDef[] = [
  // mount(2): new tmpfs/proc/sysfs, MS_BIND (MS_REC), MS_REMOUNT (MS_RDONLY...), MS_PRIVATE; root only
  partial(165, 'mount', ['str', 'path', 'str', 'flags', 'ptr'],
    'filesystem types tmpfs, proc and sysfs; MS_MOVE and shared/slave propagation are EINVAL', (t, src, target, type, flags, data) => {
      const d = t.kernel.vfs.lookup(t, pathArg(t, target));
      doMount(t, { source: optString(t, src), target: d, fstype: optString(t, type), flags: flags >>> 0, data: optString(t, data) ?? '' });
      return 0;
    }),
  // umount2(2): MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW; MNT_FORCE has nothing more to force
  sys(166, 'umount2', ['path', 'flags'], (t, target, flags) => {
    const d = t.kernel.vfs.lookup(t, pathArg(t, target), !(flags & MNT.NOFOLLOW));
    doUmount(t, d, flags);
    return 0;
  }),
  // chroot(2)
  sys(161, 'chroot', ['path'], (t, p) => { doChroot(t, t.kernel.vfs.lookup(t, pathArg(t, p))); return 0; }),
  // pivot_root(2): one mount namespace serves the whole instance, so its root cannot move
  partial(155, 'pivot_root', ['path', 'path'], 'always EINVAL: the instance has a single mount namespace whose root stays', (t) => {
    if (!capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM);
    throw err(E.EINVAL, 'pivot_root: the root of the instance\'s single mount namespace cannot be moved');
  }),
];
