// The subcommands that talk to the instance (status, list, shutdown, terminate, set-default, and the image
// commands install, import, export, unregister, fsck), parsed with commander. Loaded only when a subcommand is
// given. `path` (wslpath's options, answered by the instance with the distro's host mounts) is parsed by hand.
import { Command, CommanderError } from 'commander';
import { connectInstance, request, subscribe, type Connected } from '../interop/instance-client.js';
import { pidAlive } from '../interop/run-dir.js';
import { pbashBuild } from '../interop/version.js';
import { PBASH_FAILURE, fail } from './fail.js';
import { printList, printStatus, statusLines } from './status-view.js';
import type { ImageRequest, Reply } from '../interop/protocol/messages.js';
import { STOPPED, type Snapshot } from '../interop/protocol/status.js';
import { openInput, openOutput, runImageOp, type ImageIo } from './image-client.js';
import path from 'node:path';

async function ask(req: object, start: boolean): Promise<{ reply: Reply; c: Connected } | null> {
  const c = await connectInstance(pbashBuild(), start);
  if (!c) return null;
  const reply = await request<Reply>(c.conn, req);
  if (!reply.ok) fail(String(reply.error ?? 'the instance refused the request'));
  return { reply, c };
}

const withoutOk = ({ ok: _ok, ...rest }: Reply): Snapshot => rest as unknown as Snapshot;

/** `status --watch`: snapshots from a subscription (JSON lines, or plain snapshots) until the instance or the reader goes. */
async function watchStatus(asJson: boolean, intervalMs: number | undefined): Promise<void> {
  const c = await connectInstance(pbashBuild(), false);
  const print = (s: Snapshot | null): void => {
    process.stdout.write(asJson ? `${JSON.stringify(s ?? STOPPED)}\n` : `${statusLines(s).join('\n')}\n\n`);
  };
  if (!c) return print(null);
  const stop = (): void => { c.conn.end(); };
  process.once('SIGINT', stop).once('SIGTERM', stop);
  process.stdout.on('error', stop); // the reader went away (EPIPE)
  await subscribe(c.conn, intervalMs, (s) => print(s as Snapshot)).catch((e: Error) => fail(e.message));
}

/**
 * The live dashboard, loaded only here: ink and react stay off every other path. From the build it is one
 * bundle (package.json build:bundle; src/interop stays outside it): ink alone would otherwise load some
 * 1,400 modules (es-toolkit's).
 */
async function dashboard(intervalMs: number | undefined): Promise<void> {
  // ink draws only its last frame when it thinks it runs under CI (is-in-ci reads these at ink's import);
  // on a terminal this view is interactive whatever the environment says. DEV=true is ink's switch for
  // React devtools (and reading its own package.json, which the bundle does not carry): not for users.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  delete process.env.DEV;
  const entry = import.meta.url.endsWith('.ts') ? './status/run.js' : './status/run.bundle.js';
  const { runDashboard } = await import(entry) as typeof import('./status/run.js');
  await runDashboard(intervalMs);
}

/** `pbash path [-a] [-u|-w|-m] PATH`: as wslpath (status 1 and one line when there is no translation). */
async function pathCommand(args: string[]): Promise<number> {
  const r = (await ask({ op: 'path', args, hostCwd: process.cwd() }, true))!;
  process.stdout.write(String(r.reply.stdout ?? ''));
  process.stderr.write(String(r.reply.stderr ?? ''));
  return Number(r.reply.status);
}

/** An image operation through the instance; its reply, or one line and 255. */
async function imageCommand(req: ImageRequest, io: ImageIo = {}): Promise<Reply> {
  const c = await connectInstance(pbashBuild(), true);
  if (!c) fail('cannot reach the pbash instance');
  const reply = await runImageOp(c, req, io).catch((e: Error) => fail(e.message));
  if (!reply.ok) fail(String(reply.error ?? 'the instance refused the request'));
  return reply;
}

export async function runSubcommand(name: string, args: string[]): Promise<number> {
  if (name === 'path') return pathCommand(args);
  const program = new Command('pbash').exitOverride().configureOutput({
    writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `pbash: ${s.slice(7)}` : s),
  });
  program.command('status').description('the instance: state, sessions, processes, syscalls (live on a terminal)').option('--json')
    .option('--watch', 'a snapshot at every interval until interrupted').option('--interval <ms>', 'between snapshots of --watch and the live view', Number)
    .action(async (o: { json?: boolean; watch?: boolean; interval?: number }) => {
      if (o.watch) return watchStatus(o.json === true, o.interval);
      if (!o.json && process.stdout.isTTY && process.stdin.isTTY) return dashboard(o.interval);
      // never starts an instance: with none running, that is the answer
      const r = await ask({ op: 'status' }, false);
      const snap = r ? withoutOk(r.reply) : null;
      if (o.json) process.stdout.write(JSON.stringify(snap ?? STOPPED) + '\n');
      else printStatus(snap);
    });
  program.command('list').description('distros').option('-v, --verbose').option('--json')
    .action(async (o: { verbose?: boolean; json?: boolean }) => {
      const r = (await ask({ op: 'list' }, true))!;
      if (o.json) process.stdout.write(JSON.stringify(r.reply.distros) + '\n');
      else printList(r.reply.distros as Parameters<typeof printList>[0], o.verbose === true);
    });
  program.command('shutdown').description('end the instance and every Linux process')
    .action(async () => {
      const r = await ask({ op: 'shutdown' }, false);
      if (!r) return;
      // returns once the daemon is gone, so a following pbash starts a fresh instance
      const until = Date.now() + 15_000;
      while (pidAlive(r.c.info.pid) && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
      if (pidAlive(r.c.info.pid)) fail(`the instance (pid ${r.c.info.pid}) did not exit`);
    });
  program.command('terminate').argument('<name>').description("end a distro's Linux processes")
    // started if need be: the registry (in the instance) knows the names
    .action(async (n: string) => { await ask({ op: 'terminate', name: n }, true); });
  program.command('set-default').argument('<name>').description('the distro bare pbash runs (a name or a root directory)')
    .action(async (n: string) => {
      const r = (await ask({ op: 'set-default', name: n }, true))!;
      process.stdout.write(`default distro: ${String(r.reply.name)}\n`);
    });
  program.command('install').argument('[image]', 'busybox or debian', 'debian').option('--name <name>')
    .description('install a distro from a standard image')
    .action(async (image: string, o: { name?: string }) => {
      const r = await imageCommand({ op: 'install', image, name: o.name ?? image });
      process.stderr.write(`installed ${String(r.name)} in ${String(r.dir)}\n`);
    });
  program.command('import').argument('<name>').argument('<dir>', 'where its filesystem is stored').argument('<file>', 'a tar, tar.gz, tar.xz or tar.zst file, or - for stdin')
    .description('install a distro from a tarball')
    .action(async (name: string, dir: string, file: string) => {
      await imageCommand({ op: 'import', name, dir: path.resolve(dir) }, { input: openInput(file) });
    });
  program.command('export').argument('<name>').argument('<file>', 'a file, or - for stdout').option('--format <format>', 'tar or tar.gz')
    .description("a distro's filesystem as a tarball")
    .action(async (name: string, file: string, o: { format?: string }) => {
      const format = o.format ?? (/\.(tgz|gz)$/.test(file) ? 'tar.gz' : 'tar');
      if (format !== 'tar' && format !== 'tar.gz') fail(`--format: tar or tar.gz, not ${format}`);
      await imageCommand({ op: 'export', name, format }, { output: openOutput(file) });
    });
  program.command('unregister').argument('<name>').option('--force', 'end its processes first')
    .description('remove an installed distro and its filesystem')
    .action(async (name: string, o: { force?: boolean }) => { await imageCommand({ op: 'unregister', name, force: o.force === true }); });
  let code = 0;
  program.command('fsck').argument('<name>').option('-n, --no-repair', 'report only, change nothing')
    .option('--force', 'end its processes first').description("check (and repair) an installed distro's filesystem")
    .action(async (n: string, o: { repair: boolean; force?: boolean }) => {
      const r = await imageCommand({ op: 'fsck', name: n, repair: o.repair, force: o.force === true });
      const problems = r.problems as string[], leftovers = r.leftovers as string[];
      for (const p of problems) process.stdout.write(`${n}: ${p}\n`);
      for (const l of leftovers) process.stdout.write(`${n}: cleaned after a crash: ${l}\n`);
      process.stdout.write(`${n}: ${problems.length === 0 ? 'clean' : r.clean ? 'repaired' : 'problems left'}\n`);
      code = !r.clean ? 4 : problems.length > 0 ? 1 : 0; // fsck(8): 1 errors corrected, 4 errors left uncorrected
    });
  try {
    await program.parseAsync([name, ...args], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : PBASH_FAILURE;
    throw e;
  }
  return code;
}
