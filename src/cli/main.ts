// pbash's entry point: parse the command line, run the Linux program, exit with its status.
// Failures of pbash itself exit 255 with one line on stderr (ARCHITECTURE.md, CLI contract).
import { readFileSync } from 'node:fs';
import { HELP, UsageError, linuxArgv, parseArgs, type RunOptions } from './args.js';
import { linuxEnvironment } from '../interop/environment.js';
import { hostToLinux } from '../interop/paths.js';

const PBASH_FAILURE = 255;

function fail(message: string): never {
  process.stderr.write(`pbash: ${message}\n`);
  process.exit(PBASH_FAILURE);
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function run(opts: RunOptions): Promise<number> {
  if (!opts.root) fail('no distribution is installed yet: give a root filesystem with --root DIR');
  // Until the instance daemon exists every launch runs the kernel in this process (what --standalone asks for).
  // Loaded lazily so that only a launch pays for the kernel's modules.
  const { runStandalone } = await import('../instance/standalone.js');
  const argv = opts.mode === 'shell' ? ['/bin/sh', '-l'] : linuxArgv(opts);
  const cwd = opts.cd ?? hostToLinux(opts.root, process.cwd()) ?? '/';
  const result = await runStandalone({
    root: opts.root, argv: argv.map(latin1), env: linuxEnvironment(process.env).map(latin1), cwd: latin1(cwd),
    user: opts.user === undefined ? undefined : latin1(opts.user),
    strace: process.env.PBASH_STRACE === '1',
  });
  if (result.message) process.stderr.write(`pbash: ${result.message}\n`);
  return result.exitCode;
}

/** The kernel speaks byte strings (one char per byte): host UTF-8 arguments become their bytes. */
const latin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  switch (parsed.kind) {
    case 'help': process.stdout.write(HELP); return process.exit(0);
    case 'version': process.stdout.write(`pbash ${version()}\n`); return process.exit(0);
    case 'subcommand': fail(`${parsed.name}: not available yet in this version`);
    // eslint-disable-next-line no-fallthrough
    case 'run': process.exit(await run(parsed.opts));
  }
}

main(process.argv.slice(2)).catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
