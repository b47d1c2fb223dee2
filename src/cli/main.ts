// pbash's entry point: parse the command line, run the Linux program through the instance (or in this
// process with --standalone), exit with its status. Only what a launch needs is imported eagerly: the
// path of `pbash -c true` must stay light (subcommands, commander and the kernel load on demand).
import { HELP, UsageError, linuxArgv, parseArgs, type RunOptions } from './args.js';
import { fail } from './fail.js';
import { linuxEnvironment } from '../interop/environment.js';
import { pbashBuild, pbashVersion } from '../interop/version.js';
import { InstanceError, connectInstance, logFile } from '../interop/instance-client.js';
import { homePaths } from '../interop/run-dir.js';
import { createRequest, runSession } from './session-client.js';

async function runStandalone(opts: RunOptions): Promise<number> {
  if (!opts.root) fail('--standalone needs a root filesystem: --root DIR');
  // The one place the CLI reaches past the protocol: --standalone runs the instance's launcher (and so the
  // kernel) in this process by design (debugging, tests). Loaded lazily: no other path pays for it; build:bundle
  // makes dist/instance/standalone.js one file (compiling ~300 ES modules cost ~40 ms of every launch).
  const { runStandalone: run } = await import('../instance/standalone.js');
  const { hostToLinux } = await import('../interop/paths.js');
  const argv = opts.mode === 'shell' ? ['/bin/sh', '-l'] : linuxArgv(opts);
  const result = await run({
    root: opts.root, argv, env: linuxEnvironment(process.env), cwd: opts.cd ?? hostToLinux(opts.root, process.cwd()) ?? '/',
    user: opts.user, strace: process.env.PBASH_STRACE === '1',
    // PBASH_TELEMETRY=0 exists for npm run bench's with/without comparison (issue 7: overhead <= 3%)
    telemetry: process.env.PBASH_TELEMETRY !== '0',
  });
  if (result.message) process.stderr.write(`pbash: ${result.message}\n`);
  return result.exitCode;
}

async function runThroughInstance(opts: RunOptions): Promise<number> {
  if (opts.mode === 'shell' && !opts.root && !opts.distribution) {
    const { installDefaultIfNone } = await import('./first-run.js');
    await installDefaultIfNone();
  }
  const create = await createRequest({
    argv: opts.mode === 'shell' ? ['/bin/sh'] : linuxArgv(opts),
    loginShell: opts.mode === 'shell',
    env: linuxEnvironment(process.env),
    hostEnv: process.env as Record<string, string>,
    hostCwd: process.cwd(),
    cd: opts.cd,
    user: opts.user,
    root: opts.root,
    distro: opts.distribution,
  });
  // the create request rides with the handshake: no wait for WELCOME before asking
  const c = await connectInstance(pbashBuild(), true, process.env, create);
  if (!c) fail('cannot reach the pbash instance');
  const end = await runSession(c.conn);
  if ('lost' in end) fail(`the pbash instance ended unexpectedly (see ${logFile(homePaths())})`);
  if (end.message) process.stderr.write(`pbash: ${end.message}\n`);
  return end.code;
}

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
    case 'version': process.stdout.write(`pbash ${pbashVersion()}\n`); return process.exit(0);
    case 'subcommand': {
      const { runSubcommand } = await import('./subcommands.js');
      return process.exit(await runSubcommand(parsed.name, parsed.args));
    }
    case 'run': process.exit(await (parsed.opts.standalone ? runStandalone(parsed.opts) : runThroughInstance(parsed.opts)));
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  fail(e instanceof InstanceError || e instanceof Error ? e.message : String(e));
});
