// Starting a Linux process from outside Linux (a session's first process): the kernel-side half of what
// the CLI asks for. Inside Linux, processes come from fork/execve instead.
import type { Kernel } from './kernel.js';
import type { Credentials, Task } from './task.js';
import type { Scheduler } from './scheduler.js';
import type { OpenFile } from '../fs/file.js';
import { FdTable } from '../fs/fd-table.js';
import { FsContext } from '../fs/fs-context.js';
import { openExec } from '../fs/exec-open.js';
import { loadImage } from '../loader/exec.js';
import { AddressSpace } from '../mm/address-space.js';
import { KProcess, commOf } from './process.js';
import { KTask } from './thread.js';
import { E, LinuxError } from './errno.js';
import { lookupUser, type UserInfo } from './users.js';
import { rootCreds } from './capability.js';
import { startImage } from './exec-commit.js';

export interface SpawnRequest {
  /** argv[0] is the program: a path, or a name searched in the environment's PATH (execvp(3) rules). */
  argv: string[];
  envp: string[];
  /** Guest working directory; the process starts in / when it cannot be entered. */
  cwd: string;
  creds: Credentials;
  stdio: [OpenFile, OpenFile, OpenFile];
}

export { rootCreds };

/**
 * The stand-in caller for path walks and opens done before a process exists (the kernel acting for a
 * launch): what the VFS reads of a task — kernel, fs context, fd table, credentials — at the distro's root.
 */
function launcher(kernel: Kernel, creds: Credentials): Task {
  const fs = new FsContext(kernel.vfs.top, kernel.vfs.top);
  return { kernel, fs, files: new FdTable(), creds } as unknown as Task;
}

/** A user of the distro by name or uid, read from its /etc/passwd as root would. */
export function resolveUser(kernel: Kernel, user: string): UserInfo {
  return lookupUser(launcher(kernel, rootCreds()), user);
}

/** The kernel acting as root at the distro's root, for what the instance does itself at boot (reading
 *  /etc/pbash.conf, making the automount root, opening /dev/null for the boot command). */
export const rootCaller = (kernel: Kernel): Task => launcher(kernel, rootCreds());

/** Create and start the process; throws LinuxError (ENOENT, EACCES, ENOEXEC...) when it cannot be executed. */
export function spawnProcess(kernel: Kernel, scheduler: Scheduler, req: SpawnRequest): KProcess {
  const pre = launcher(kernel, req.creds);
  const { fs, files } = pre;
  try {
    const d = kernel.vfs.lookup(pre, req.cwd);
    if (d.node.isDir) fs.cwd = d;
  } catch { /* as login(1) does, start in / */ }
  const path = searchPath(pre, req.argv[0], req.envp);
  const img = loadImage((p: string) => openExec(pre, p), path, req.argv, req.envp, req.creds, AddressSpace.create);
  req.stdio.forEach((f, fd) => files.installAt(fd, f));
  const pid = kernel.allocPid();
  const proc = new KProcess(pid, 1, img.mm, img.exe, img.argv, req.envp, process.hrtime.bigint() - kernel.bootHr);
  proc.comm = commOf(path); // the name exec'd, not the resolved image (fs/exec.c: kbasename(bprm->filename))
  proc.parent = kernel.init;
  kernel.init.children.add(proc);
  const task = new KTask(kernel, pid, proc, files, fs, req.creds);
  kernel.tasks.set(pid, task);
  startImage(img.mm.engine, img.entry, img.sp);
  scheduler.start(task);
  return proc;
}

/** execvp(3): a name without '/' is looked up in PATH; the first executable regular file wins. */
function searchPath(t: Task, name: string, envp: string[]): string {
  if (name === undefined || name === '') throw new LinuxError(E.ENOENT);
  if (name.includes('/')) return name;
  const pathVar = envp.find((e) => e.startsWith('PATH='))?.slice(5) ?? '/usr/local/bin:/usr/bin:/bin';
  let firstError: LinuxError | null = null;
  for (const dir of pathVar.split(':')) {
    const candidate = `${dir || '.'}/${name}`;
    try {
      openExec(t, candidate);
      return candidate;
    } catch (e) {
      if (e instanceof LinuxError && e.errno === E.EACCES) firstError ??= e;
    }
  }
  throw firstError ?? new LinuxError(E.ENOENT);
}
