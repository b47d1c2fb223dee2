// Running one Linux command with the kernel inside the calling process (`pbash --standalone`): no daemon.
// The same request shape will travel over the instance protocol.
import { Kernel } from '../emu/kernel/kernel.js';
import { resolveUser, rootCreds } from '../emu/kernel/spawn.js';
import { E, LinuxError, strerror } from '../emu/kernel/errno.js';
import type { Credentials } from '../emu/kernel/task.js';
import { HostStream } from '../emu/fs/host-stream.js';

export interface LaunchRequest {
  /** Host directory used as the root filesystem. */
  root: string;
  argv: string[];
  env: string[];
  cwd: string;
  /** A user name or uid of the distro (`-u`); root when absent. */
  user?: string;
  strace: boolean;
}

/** What the client exits with, and the line it prints when the program could not be started. */
export interface LaunchResult { exitCode: number; message?: string; }

/** The shell convention for a wait status: exit code, or 128 + the signal that ended the process. */
export const exitCodeOf = (waitStatus: number): number =>
  (waitStatus & 0x7f) === 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f);

const PBASH_FAILURE = 255;

export async function runStandalone(req: LaunchRequest): Promise<LaunchResult> {
  const stdio: [HostStream, HostStream, HostStream] = [new HostStream(0), new HostStream(1), new HostStream(2)];
  const kernel = new Kernel({ root: req.root, strace: req.strace });
  let creds: Credentials = rootCreds(), env = req.env;
  if (req.user !== undefined) {
    let u;
    try { u = resolveUser(kernel, req.user); } catch {
      return { exitCode: PBASH_FAILURE, message: `no user ${req.user} in this distribution` };
    }
    creds = u.creds;
    // the login variables follow the user, as login(1) sets them
    const own: Record<string, string> = { HOME: u.home, USER: u.name, LOGNAME: u.name, SHELL: u.shell };
    env = env.map((e) => { const k = e.slice(0, e.indexOf('=')); return k in own ? `${k}=${own[k]}` : e; });
  }
  try {
    const proc = kernel.spawn({ argv: req.argv, envp: env, cwd: req.cwd, creds, stdio });
    return { exitCode: exitCodeOf(await proc.exited) };
  } catch (e) {
    if (!(e instanceof LinuxError)) throw e;
    // as env(1) and shells report a program that cannot be run: 127 not found, 126 found but not executable
    return { exitCode: e.errno === E.ENOENT ? 127 : 126, message: `${req.argv[0]}: ${strerror(e.errno)}` };
  }
}
