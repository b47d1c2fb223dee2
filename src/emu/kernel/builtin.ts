// Kernel builtin programs (fs/builtin-fs.ts): an execve that reaches one commits the exec as for any image
// (exec-commit.ts; the process owns no guest memory), runs the program's function, writes its output to
// the process's own fd 1 and fd 2 as write(2) would (waiting while a pipe is full; a pipe without readers
// is SIGPIPE's default action, death, unless the signal is ignored or blocked: then the write just fails,
// as for a program that does not check it) and exits with its status.
import type { KTask } from './thread.js';
import type { Kernel } from './kernel.js';
import { E, LinuxError } from './errno.js';
import { SIG, SIG_IGN, exitedStatus, signaledStatus } from './signals.js';
import { commitExec } from './exec-commit.js';
import { AddressSpace } from '../mm/address-space.js';
import { BuiltinFs, type BuiltinProgram } from '../fs/builtin-fs.js';
import { FileStream } from '../fs/file-stream.js';
import { MS } from '../fs/mount.js';

/** Serve `program` at `path` (a file bind mount: the path's directory must exist for it to be reached). */
export function installBuiltin(kernel: Kernel, path: string, program: BuiltinProgram): void {
  const name = path.slice(path.lastIndexOf('/') + 1);
  kernel.vfs.mount(path, new BuiltinFs(name, program), { source: 'pbash', flags: MS.RDONLY | MS.NOSUID | MS.NODEV | MS.RELATIME });
}

/** Write `bytes` (a byte string) to fd `fd`; false when SIGPIPE ends the process (a pipe without readers). */
async function output(t: KTask, fd: number, bytes: string): Promise<boolean> {
  if (bytes === '' || !t.files.has(fd)) return true;
  const s = new FileStream(t.files.get(fd));
  try {
    await s.write(Buffer.from(bytes, 'latin1'));
    return true;
  } catch (e) {
    if (!(e instanceof LinuxError)) throw e;
    const bit = 1n << BigInt(SIG.SIGPIPE - 1);
    return e.errno !== E.EPIPE || t.process.sigactions[SIG.SIGPIPE]!.handler === SIG_IGN || (t.sigmask & bit) !== 0n;
  } finally {
    s.close();
  }
}

/** execve of a builtin: never returns to guest code; the Promise settles once the process has exited. */
export async function execBuiltin(t: KTask, path: string, exe: string, program: BuiltinProgram, argv: string[], env: string[]): Promise<number> {
  const cwd = t.kernel.vfs.cwdPath(t);
  commitExec(t, path, exe, argv, env, AddressSpace.create(exe));
  const r = program({ argv, env, cwd });
  const ok = (await output(t, 1, r.stdout)) && (await output(t, 2, r.stderr));
  t.exitGroup(ok ? exitedStatus(r.status & 0xff) : signaledStatus(SIG.SIGPIPE));
  return 0;
}
