// wslpath's command line, shared by `pbashpath` inside Linux and `pbash path` on the host: [-a] [-u|-w|-m]
// PATH. -u (the default) a host path to Linux, -w Linux to host, -m Linux to host with '/' separators
// (Windows hosts; on POSIX hosts -w and -m agree), -a an absolute result for a relative PATH. Success:
// the translation and a newline on stdout, status 0; otherwise one line on stderr and status 1.
import { PathError, hostPathToLinux, linuxPathToHost, type HostView } from './paths.js';

export interface PathResult { status: number; stdout: string; stderr: string; }

const USAGE = 'usage: [-a] [-u|-w|-m] PATH';

/**
 * Run the command: `args` after the program name, `cwd` the Linux directory relative paths are made
 * absolute from (-a), `name` the program name its messages start with.
 */
export function runPathCommand(name: string, args: readonly string[], v: HostView, cwd: string): PathResult {
  const fail = (msg: string): PathResult => ({ status: 1, stdout: '', stderr: `${name}: ${msg}\n` });
  let mode: 'u' | 'w' | 'm' = 'u', absolute = false;
  const paths: string[] = [];
  let optionsDone = false;
  for (const a of args) {
    if (optionsDone || !a.startsWith('-') || a === '-') { paths.push(a); continue; }
    if (a === '--') { optionsDone = true; continue; }
    for (const c of a.slice(1)) {
      if (c === 'a') absolute = true;
      else if (c === 'u' || c === 'w' || c === 'm') mode = c;
      else return fail(`unknown option -${c}; ${USAGE}`);
    }
  }
  if (paths.length !== 1) return fail(paths.length ? `one PATH only; ${USAGE}` : USAGE);
  const p = paths[0]!, at = absolute ? cwd : undefined;
  try {
    const out = mode === 'u' ? hostPathToLinux(p, v, at) : linuxPathToHost(p, v, mode === 'm', at);
    return { status: 0, stdout: `${out}\n`, stderr: '' };
  } catch (e) {
    if (e instanceof PathError) return fail(e.message);
    throw e;
  }
}
