// unshare(2) and setns(2) in a kernel with one instance of every namespace. Unsharing the fd table or the
// fs context (cwd, root, umask) is real; CLONE_SYSVSEM applies and drops the SEM_UNDO list as exit_sem
// does (a thread of a multi-threaded process keeps sharing its process's list: undo lists are per process
// here); CLONE_THREAD/SIGHAND/VM are accepted for a single-threaded caller, as Linux pretends for
// "nothing to unshare". New namespaces are not provided: EPERM. setns through a pidfd joins the target's
// namespaces, which are the caller's own, as does an fd of a /proc/<pid>/ns file: Linux's checks apply, and
// CLONE_NEWNS moves root and cwd to the namespace's root as mntns_install does. Any other fd is EINVAL.
import { CAP, capable } from '../kernel/capability.js';
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { E, err } from '../kernel/errno.js';
import { CLONE } from '../kernel/fork.js';
import { PidFd } from '../kernel/pidfd.js';
import { NsFile } from '../fs/nsfs.js';
import { sharedWithOthers } from '../kernel/task-lookup.js';
import { exitSemUndo } from '../kernel/ipc/sem-undo.js';
import { partial, type SyscallDef } from './types.js';

const NAMESPACES = CLONE.NEWNS | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWNET | CLONE.NEWUSER | CLONE.NEWPID | CLONE.NEWCGROUP | CLONE.NEWTIME;
const UNSHARE_FLAGS = CLONE.THREAD | CLONE.FS | CLONE.SIGHAND | CLONE.VM | CLONE.FILES | CLONE.SYSVSEM | NAMESPACES;
const NO_NAMESPACES = 'new namespaces are not provided (one of each in pbash)';

/** unshare(2), with ksys_unshare's implied flags and check_unshare_flags's rules. */
function unshare(t: Task, flags: number): number {
  const kt = t as KTask;
  if (flags & CLONE.NEWUSER) flags |= CLONE.THREAD | CLONE.FS;
  if (flags & CLONE.VM) flags |= CLONE.SIGHAND;
  if (flags & CLONE.SIGHAND) flags |= CLONE.THREAD;
  if (flags & CLONE.NEWNS) flags |= CLONE.FS;
  if (flags & ~UNSHARE_FLAGS) throw err(E.EINVAL);
  if (flags & (CLONE.THREAD | CLONE.SIGHAND | CLONE.VM) && kt.process.threads.size > 1) throw err(E.EINVAL);
  if (flags & CLONE.VM && kt.process.vfork) throw err(E.EINVAL); // the memory is its parent's too
  if (flags & NAMESPACES) throw err(E.EPERM, capable(t.creds, CAP.SYS_ADMIN) ? NO_NAMESPACES : undefined);
  if (flags & CLONE.FS && sharedWithOthers(kt, (o) => o.fs)) kt.fs = kt.fs.clone();
  if (flags & CLONE.FILES && sharedWithOthers(kt, (o) => o.files)) kt.files = kt.files.clone();
  if (flags & CLONE.SYSVSEM && kt.process.threads.size === 1) exitSemUndo(kt.process);
  return 0;
}

/**
 * setns(2) through a pidfd (namespaces in nstype) or a /proc/<pid>/ns file (nstype 0 or its own kind);
 * joining them (they are ours) needs CAP_SYS_ADMIN.
 */
function setns(t: Task, fd: number, nstype: number): number {
  const f = t.files.get(fd);
  if (f instanceof NsFile) {
    if (nstype && nstype !== f.nstype) throw err(E.EINVAL);
    nstype = f.nstype;
  } else if (!(f instanceof PidFd) || !nstype || nstype & ~NAMESPACES) throw err(E.EINVAL);
  const kt = t as KTask;
  if (f instanceof PidFd && f.target.reaped) throw err(E.ESRCH); // no task behind the pid any more
  if (nstype & CLONE.NEWUSER) throw err(E.EINVAL); // userns_install: already in it
  if (nstype & CLONE.NEWNS && sharedWithOthers(kt, (o) => o.fs)) throw err(E.EINVAL);
  if (!capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM);
  if (nstype & CLONE.NEWTIME && kt.process.threads.size > 1) throw err(E.EUSERS);
  if (nstype & CLONE.NEWNS) kt.fs.root = kt.fs.cwd = t.kernel.vfs.top;
  return 0;
}

export const namespaceSyscalls: SyscallDef[] = [
  partial(272, 'unshare', ['flags'], `namespaces (CLONE_NEW*): EPERM, ${NO_NAMESPACES}`, unshare),
  partial(308, 'setns', ['fd', 'int'], 'pidfds and /proc/<pid>/ns files; the namespaces joined are the caller\'s own', setns),
];
