// `pbashpath` inside Linux: wslpath's command (interop/path-command.ts) as a kernel builtin program of a
// distro, translating with that distro's host mounts. The kernel speaks byte strings (one char per byte):
// on POSIX hosts paths are translated as bytes, exactly; Windows hosts need characters (name escaping), so
// there the bytes are read and written as UTF-8.
import type { BuiltinProgram } from '../emu/fs/builtin-fs.js';
import type { HostView } from '../interop/paths.js';
import { runPathCommand } from '../interop/path-command.js';

export const PBASHPATH = '/usr/bin/pbashpath';

const bytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const chars = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');

export function pbashpathProgram(v: HostView): BuiltinProgram {
  const win = v.platform === 'win32';
  const inView: HostView = win ? v : {
    ...v, mountRoot: v.mountRoot === null ? null : bytes(v.mountRoot), distroRoot: v.distroRoot === null ? null : bytes(v.distroRoot),
  };
  const take = win ? chars : (s: string): string => s;
  const give = win ? bytes : (s: string): string => s;
  return ({ argv, cwd }) => {
    const r = runPathCommand('pbashpath', argv.slice(1).map(take), inView, take(cwd));
    return { status: r.status, stdout: give(r.stdout), stderr: give(r.stderr) };
  };
}
