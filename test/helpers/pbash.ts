// Run bin/pbash from tests, as a user would: `runPbash([...args])`, or the standalone shapes
// `pbashExec(root, argv)` (--standalone --root ROOT -e PROG ARGS) and `pbashShell(root, cmd)` (-c CMD).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, type RunOptions, type RunResult } from './run.js';

export type { RunOptions, RunResult } from './run.js';
export { run } from './run.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const pbashBin = path.join(repoRoot, 'bin', 'pbash');

/** Run bin/pbash with these arguments (through node, so the launcher needs no execute bit). */
export function runPbash(args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return run(process.execPath, [pbashBin, ...args], opts);
}

export interface StandaloneOptions extends RunOptions {
  /** Guest user name or uid (`-u`). */
  user?: string;
  /** Guest working directory (`--cd`). */
  cd?: string;
}

/** The options of a standalone run: --standalone --root ROOT [-u U] [--cd D]. */
export function standaloneArgs(root: string, o: StandaloneOptions): string[] {
  const a = ['--standalone', '--root', root];
  if (o.user !== undefined) a.push('-u', o.user);
  if (o.cd !== undefined) a.push('--cd', o.cd);
  return a;
}

/** `pbash --standalone --root ROOT [-u U] [--cd D] -e PROG ARGS...` */
export function pbashExec(root: string, argv: readonly string[], opts: StandaloneOptions = {}): Promise<RunResult> {
  return runPbash([...standaloneArgs(root, opts), '-e', ...argv], opts);
}

/** `pbash --standalone --root ROOT [-u U] [--cd D] -c CMD` */
export function pbashShell(root: string, command: string, opts: StandaloneOptions = {}): Promise<RunResult> {
  return runPbash([...standaloneArgs(root, opts), '-c', command], opts);
}

/** `pbashShell` whose output the test needs: asserts status 0 (with the command and its stderr) and returns
 * stdout as latin1. */
export async function pbashShellOk(t: { is: (a: unknown, b: unknown, m?: string) => void }, root: string, command: string, user?: string): Promise<string> {
  const r = await pbashShell(root, command, { user });
  t.is(r.exitCode, 0, `${command}\n${r.stderr.toString()}`);
  return r.stdout.toString('latin1');
}

/** Why bin/pbash cannot run at all (null when the launcher exists). */
export function pbashMissingReason(): string | null {
  if (!fs.existsSync(pbashBin)) return `${path.relative(repoRoot, pbashBin)} does not exist`;
  return null;
}
