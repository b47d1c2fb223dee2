// Running one Linux command with the kernel inside the calling process (`pbash --standalone`): no daemon.
import { Kernel } from '../emu/kernel/kernel.js';
import type { RootType } from '../emu/fs/setup.js';
import { HostStream } from '../emu/fs/host-stream.js';
import { exitCodeOf, launch, latin1 } from './launch.js';

export { exitCodeOf } from './launch.js';

export interface LaunchRequest {
  /** Host directory used as the root filesystem (a VolFs distro directory with rootType 'volfs'). */
  root: string;
  rootType?: RootType;
  /** Host (UTF-8) strings. */
  argv: string[];
  env: string[];
  cwd: string;
  /** A user name or uid of the distro (`-u`); root when absent. */
  user?: string;
  strace: boolean;
  /** false: no syscall counters or timing (the benchmark measures what they cost). */
  telemetry?: boolean;
}

/** What the client exits with, and the line it prints when the program could not be started. */
export interface LaunchResult { exitCode: number; message?: string; }

export async function runStandalone(req: LaunchRequest): Promise<LaunchResult> {
  const stdio: [HostStream, HostStream, HostStream] = [new HostStream(0), new HostStream(1), new HostStream(2)];
  const kernel = new Kernel({ root: req.root, rootType: req.rootType, strace: req.strace, telemetry: req.telemetry });
  const r = launch(kernel, {
    argv: req.argv.map(latin1), env: req.env.map(latin1), cwd: latin1(req.cwd),
    user: req.user === undefined ? undefined : latin1(req.user),
  }, stdio);
  if ('exitCode' in r) return r;
  return { exitCode: exitCodeOf(await r.proc.exited) };
}
