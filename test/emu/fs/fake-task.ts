// A kernel with the real VFS over a temp directory, and tasks with a fake memory: enough to call
// file syscall handlers directly, without a CPU.
import * as fs from 'node:fs';
import { IoAccounting } from '../../../src/emu/kernel/io-accounting.js';
import * as os from 'node:os';
import * as path from 'node:path';
import { LinuxError } from '../../../src/emu/kernel/errno.js';
import type { Kernel } from '../../../src/emu/kernel/kernel.js';
import { IpcNamespace } from '../../../src/emu/kernel/ipc/namespace.js';
import type { Credentials, Task } from '../../../src/emu/kernel/task.js';
import { initialCaps } from '../../../src/emu/kernel/capability.js';
import { FdTable } from '../../../src/emu/fs/fd-table.js';
import { FsContext } from '../../../src/emu/fs/fs-context.js';
import { createVfs } from '../../../src/emu/fs/setup.js';
import type { SyscallDef } from '../../../src/emu/syscalls/types.js';
import { fsOpenSyscalls } from '../../../src/emu/syscalls/fs-open.js';
import { fsRwSyscalls } from '../../../src/emu/syscalls/fs-rw.js';
import { fsStatSyscalls } from '../../../src/emu/syscalls/fs-stat.js';
import { fsDirSyscalls } from '../../../src/emu/syscalls/fs-dir.js';
import { fsNameSyscalls } from '../../../src/emu/syscalls/fs-name.js';
import { fsAttrSyscalls } from '../../../src/emu/syscalls/fs-attr.js';
import { fsFdSyscalls } from '../../../src/emu/syscalls/fs-fd.js';
import { fsXattrSyscalls } from '../../../src/emu/syscalls/fs-xattr.js';
import type { RootType } from '../../../src/emu/fs/setup.js';
import { inotifySyscalls } from '../../../src/emu/syscalls/inotify.js';
import { FakeMemory } from './fake-memory.js';
import { defaultRlimits } from '../../../src/emu/kernel/rlimits.js';

const DEFS = new Map<string, SyscallDef>(
  [fsOpenSyscalls, fsRwSyscalls, fsStatSyscalls, fsDirSyscalls, fsNameSyscalls, fsAttrSyscalls, fsFdSyscalls, fsXattrSyscalls,
    inotifySyscalls]
    .flat().map((d) => [d.name, d]),
);

export const rootCreds = (): Credentials =>
  ({ uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0, groups: [0], ...initialCaps(0) });

export interface World { kernel: Kernel; dir: string; task(creds?: Credentials): Task & { mem: FakeMemory }; }

/**
 * A fresh temp directory as the root filesystem (hostfs, or with rootType 'volfs' a new VolFs store in it),
 * with a kernel shell around the real VFS. `dir` may name an existing directory to reopen.
 */
export function world(setup?: (dir: string) => void, rootType: RootType = 'hostfs', dir?: string): World {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-fs-'));
  setup?.(dir);
  const kernel = { tasks: new Map<number, Task>(), ipc: new IpcNamespace() } as unknown as Kernel & { vfs: unknown };
  (kernel as { vfs: unknown }).vfs = createVfs(kernel, { root: dir, rootType });
  let nextPid = 100;
  const task = (creds = rootCreds()) => {
    const pid = nextPid++;
    const t = {
      kernel, tid: pid, mem: new FakeMemory(), files: new FdTable(), ioac: new IoAccounting(),
      fs: new FsContext(kernel.vfs.top, kernel.vfs.top), creds,
      process: {
        pid, ppid: 1, pgid: pid, sid: pid, comm: 'test', exe: '/bin/test', argv: ['test', 'a b'], envp: [],
        mm: { args: { argStart: 0, argEnd: 0, envStart: 0, envEnd: 0 } }, // no image: cmdline shows argv as given
        exitStatus: null, zombie: false, threads: new Set(), children: new Set(), rlimits: defaultRlimits(),
      },
    } as unknown as Task & { mem: FakeMemory };
    (t.process as unknown as { threads: Set<Task> }).threads.add(t);
    kernel.tasks.set(pid, t);
    return t;
  };
  return { kernel, dir, task };
}

/** Call a file syscall by name as dispatch would: the result, or -errno. */
export async function call(t: Task, name: string, ...args: number[]): Promise<number> {
  const def = DEFS.get(name);
  if (!def?.handler) throw new Error(`no handler for ${name}`);
  try {
    return Number(await def.handler(t, ...args));
  } catch (e) {
    if (e instanceof LinuxError) return -e.errno;
    throw e;
  }
}

/** Synchronous variant for handlers that never block. */
export function callSync(t: Task, name: string, ...args: number[]): number {
  const def = DEFS.get(name)!;
  try {
    const r = def.handler!(t, ...args);
    if (typeof r === 'object') throw new Error(`${name} returned a Promise`);
    return Number(r);
  } catch (e) {
    if (e instanceof LinuxError) return -e.errno;
    throw e;
  }
}
