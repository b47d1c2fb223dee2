// Names: unlink, unlinkat, rename, renameat, renameat2, symlink, symlinkat, link, linkat, mknod, mknodat.
import { E, err } from '../kernel/errno.js';
import { AT, AT_FDCWD } from '../fs/constants.js';
import { linkAt, mknodAt, renameAt, rmdirAt, symlinkAt, unlinkAt } from '../fs/namespace.js';
import { partial, sys, type SyscallDef } from './types.js';
import { pathArg } from './fs-util.js';

/** The calls return 0 once the operation (which throws on failure) is done. */
const ok = (_done: unknown): number => 0;

export const fsNameSyscalls: SyscallDef[] = [
  // unlink(2)
  sys(87, 'unlink', ['path'], (t, p) => ok(unlinkAt(t, AT_FDCWD, pathArg(t, p)))),
  // unlinkat(2): AT_REMOVEDIR makes it rmdir
  sys(263, 'unlinkat', ['fd', 'path', 'flags'], (t, dirfd, p, flags) => {
    if (flags & ~AT.REMOVEDIR) throw err(E.EINVAL);
    const path = pathArg(t, p);
    return ok(flags & AT.REMOVEDIR ? rmdirAt(t, dirfd, path) : unlinkAt(t, dirfd, path));
  }),
  // rename(2)
  sys(82, 'rename', ['path', 'path'], (t, o, n) => ok(renameAt(t, AT_FDCWD, pathArg(t, o), AT_FDCWD, pathArg(t, n), 0))),
  // renameat(2)
  sys(264, 'renameat', ['fd', 'path', 'fd', 'path'], (t, od, o, nd, n) =>
    ok(renameAt(t, od, pathArg(t, o), nd, pathArg(t, n), 0))),
  // renameat2(2): RENAME_NOREPLACE everywhere; RENAME_EXCHANGE where the filesystem can (VolFs; hostfs: EINVAL)
  partial(316, 'renameat2', ['fd', 'path', 'fd', 'path', 'flags'], 'RENAME_WHITEOUT: EINVAL; RENAME_EXCHANGE: EINVAL on hostfs',
    (t, od, o, nd, n, flags) => ok(renameAt(t, od, pathArg(t, o), nd, pathArg(t, n), flags))),
  // symlink(2)
  sys(88, 'symlink', ['path', 'path'], (t, target, p) => ok(symlinkAt(t, pathArg(t, target), AT_FDCWD, pathArg(t, p)))),
  // symlinkat(2)
  sys(266, 'symlinkat', ['path', 'fd', 'path'], (t, target, dirfd, p) => ok(symlinkAt(t, pathArg(t, target), dirfd, pathArg(t, p)))),
  // link(2): a final symlink of the source is not followed
  sys(86, 'link', ['path', 'path'], (t, o, n) => ok(linkAt(t, AT_FDCWD, pathArg(t, o), AT_FDCWD, pathArg(t, n), 0))),
  // linkat(2): AT_SYMLINK_FOLLOW, AT_EMPTY_PATH
  sys(265, 'linkat', ['fd', 'path', 'fd', 'path', 'flags'], (t, od, o, nd, n, flags) =>
    ok(linkAt(t, od, pathArg(t, o), nd, pathArg(t, n), flags))),
  // mknod(2): every type on VolFs; hostfs makes regular files and sockets (EPERM for FIFOs and devices)
  partial(133, 'mknod', ['path', 'mode', 'u64'], 'FIFOs and devices: EPERM on hostfs (VolFs and tmpfs keep them)',
    (t, p, mode, dev) => ok(mknodAt(t, AT_FDCWD, pathArg(t, p), mode, dev))),
  // mknodat(2)
  partial(259, 'mknodat', ['fd', 'path', 'mode', 'u64'], 'FIFOs and devices: EPERM on hostfs (VolFs and tmpfs keep them)',
    (t, dirfd, p, mode, dev) => ok(mknodAt(t, dirfd, pathArg(t, p), mode, dev))),
];
