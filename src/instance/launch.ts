// Starting a session's first Linux process, shared by the daemon and `--standalone`: the user (-u) and
// the login variables that follow it, and the shell's convention for programs that cannot be started.
import type { Kernel } from '../emu/kernel/kernel.js';
import type { KProcess } from '../emu/kernel/process.js';
import type { Credentials } from '../emu/kernel/task.js';
import type { OpenFile } from '../emu/fs/file.js';
import { resolveUser, rootCreds } from '../emu/kernel/spawn.js';
import { E, LinuxError, strerror } from '../emu/kernel/errno.js';

export interface LaunchSpec {
  /** Byte strings (one char per byte), as the kernel speaks them: see latin1(). */
  argv: string[];
  env: string[];
  cwd: string;
  /** A user name or uid of the distro (`-u`); root when absent. */
  user?: string;
  /** Run the user's login shell (from the distro's passwd) as `SHELL -l` instead of argv. */
  loginShell?: boolean;
}

export type Launched = { proc: KProcess } | { exitCode: number; message: string };

export const PBASH_FAILURE = 255;

/** The shell convention for a wait status: exit code, or 128 + the signal that ended the process. */
export const exitCodeOf = (waitStatus: number): number =>
  (waitStatus & 0x7f) === 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f);

/** Host UTF-8 strings become the bytes the kernel sees (one char per byte). */
export const latin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

export function launch(kernel: Kernel, spec: LaunchSpec, stdio: [OpenFile, OpenFile, OpenFile]): Launched {
  let creds: Credentials = rootCreds(), env = spec.env, argv = spec.argv, home = '/root', shell = '/bin/sh';
  if (spec.user !== undefined) {
    let u;
    try { u = resolveUser(kernel, spec.user); } catch {
      return { exitCode: PBASH_FAILURE, message: `no user ${spec.user} in this distribution` };
    }
    creds = u.creds;
    home = u.home;
    shell = u.shell || shell;
    // the login variables follow the user, as login(1) sets them
    const own: Record<string, string> = { HOME: u.home, USER: u.name, LOGNAME: u.name, SHELL: u.shell };
    env = env.map((e) => { const k = e.slice(0, e.indexOf('=')); return k in own ? `${k}=${own[k]}` : e; });
  } else if (spec.loginShell) {
    try { shell = resolveUser(kernel, '0').shell || shell; } catch { /* no passwd: /bin/sh */ }
  }
  if (spec.loginShell) {
    argv = [shell, '-l'];
    env = env.map((e) => (e.startsWith('SHELL=') ? `SHELL=${shell}` : e));
  }
  // --cd ~ and ~/dir: the user's home, as the contract's `pbash --cd ~` means
  const cwd = spec.cwd === '~' ? home : spec.cwd.startsWith('~/') ? home + spec.cwd.slice(1) : spec.cwd;
  try {
    return { proc: kernel.spawn({ argv, envp: env, cwd, creds, stdio }) };
  } catch (e) {
    if (!(e instanceof LinuxError)) throw e;
    // as env(1) and shells report a program that cannot be run: 127 not found, 126 found but not executable
    return { exitCode: e.errno === E.ENOENT ? 127 : 126, message: `${argv[0]}: ${strerror(e.errno)}` };
  }
}
