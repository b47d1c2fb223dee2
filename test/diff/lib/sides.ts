// The two sides of a differential case.
//
// Environment (decided here, the same on both sides): every command runs as
//     /usr/bin/env -i -C <cwd> PATH=... HOME=/root LANG=C.UTF-8 TERM=dumb PROG ARGS...
// i.e. the guest's own coreutils `env` clears the environment, sets exactly GUEST_ENV, changes to the
// case's directory and execs the program (PATH lookup in the guest). Natively that line runs under
// `chroot ROOT` (with `--userspec=65534:65534` for user "nobody"); under pbash it is
// `bin/pbash --standalone --root ROOT [-u nobody] -e /usr/bin/env -i ...`. So neither pbash's default
// environment nor the host's leaks into the comparison, and both sides exec the program the same way.
//
// PBASH_DIFF_TARGET=native makes the "pbash" side run natively too: a self-check that the corpus is
// deterministic. PBASH_DIFF_ENV=direct skips the env wrapper on the pbash side (`--cd DIR -e PROG ARGS`,
// pbash's own environment): only for debugging a pbash that cannot execve yet.
import type { DiffCase } from './cases.js';
import { run, type RunResult } from '../../helpers/run.js';
import { pbashBin, pbashExec, standaloneArgs } from '../../helpers/pbash.js';
import { overlayChanges, prepareOverlay, removeOverlay } from './overlay.js';
import { prepareScratch, snapshotScratch } from './scratch.js';

export const GUEST_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8',
  TERM: 'dumb',
};

export type Target = 'pbash' | 'native';
export const target: Target = process.env.PBASH_DIFF_TARGET === 'native' ? 'native' : 'pbash';
export const envMode: 'wrap' | 'direct' = process.env.PBASH_DIFF_ENV === 'direct' ? 'direct' : 'wrap';

export interface SideResult extends RunResult {
  /** The scratch tree after the run (see snapshotScratch). */
  tree: string;
}

function program(c: DiffCase): string[] {
  return c.sh !== undefined ? ['/bin/sh', '-c', c.sh] : c.argv!;
}

/** The guest command line: env -i -C CWD VARS... PROG ARGS... */
export function guestArgv(c: DiffCase, cwd: string): string[] {
  return ['/usr/bin/env', '-i', '-C', cwd, ...Object.entries(GUEST_ENV).map(([k, v]) => `${k}=${v}`), ...program(c)];
}

function input(c: DiffCase): Buffer {
  if (c.stdinBase64 !== undefined) return Buffer.from(c.stdinBase64, 'base64');
  return Buffer.from(c.stdin ?? '');
}

const CLEAN_HOST_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };

/**
 * chroot(8) in a private mount namespace with a proc filesystem on ROOT/proc, as a booted Linux has
 * (bash's process substitution opens /dev/fd/N -> /proc/self/fd/N); the mount ends with the namespace,
 * so the rootfs is left as it was and other runs never see it. A private IPC namespace too: ipcs sees only
 * the case's own objects, as a fresh pbash instance does.
 */
const PRIVATE_NS = ['/usr/bin/unshare', '--mount', '--ipc', '--propagation', 'private', '/bin/sh', '-c'];
const CHROOT_WITH_PROC = 'mount -t proc proc "$0/proc" && exec /usr/sbin/chroot "$@"';

export async function runNative(root: string, c: DiffCase, side = 'native'): Promise<SideResult> {
  const cwd = c.cwd ?? prepareScratch(root, c);
  if (c.cwd !== undefined) prepareScratch(root, c);
  const user = c.user === 'nobody' ? ['--userspec=65534:65534', '--groups=65534'] : [];
  const o = c.root === 'overlay' ? prepareOverlay(root, c, side) : null;
  const script = o ? `${o.mounts} && ${CHROOT_WITH_PROC}` : CHROOT_WITH_PROC;
  const dir = o?.merged ?? root;
  const [prog, ...args] = PRIVATE_NS;
  const r = await run(prog!, [...args, script, dir, ...user, dir, ...guestArgv(c, cwd)], { input: input(c), timeout: c.timeout, env: CLEAN_HOST_ENV });
  const tree = snapshotScratch(root, c) + (o ? overlayChanges(o, c) : '');
  if (o) removeOverlay(c, side);
  return { ...r, tree };
}

export async function runPbashSide(root: string, c: DiffCase): Promise<SideResult> {
  if (target === 'native') return runNative(root, c, 'native-again');
  const cwd = c.cwd ?? prepareScratch(root, c);
  if (c.cwd !== undefined) prepareScratch(root, c);
  const opts = { input: input(c), timeout: c.timeout, env: { ...process.env }, user: c.user };
  if (c.root === 'overlay') {
    // pbash runs inside a private mount namespace where its --root is the overlay
    const o = prepareOverlay(root, c, 'pbash');
    const args = [...standaloneArgs(o.merged, opts), '-e', ...guestArgv(c, cwd)];
    const r = await run('/usr/bin/unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', `${o.mounts} && exec "$@"`, 'overlay', process.execPath, pbashBin, ...args], opts);
    const tree = snapshotScratch(root, c) + overlayChanges(o, c);
    removeOverlay(c, 'pbash');
    return { ...r, tree };
  }
  const r = envMode === 'wrap'
    ? await pbashExec(root, guestArgv(c, cwd), opts)
    : await pbashExec(root, program(c), { ...opts, cd: cwd });
  return { ...r, tree: snapshotScratch(root, c) };
}

/** Null when pbash can run a guest as another user (`-u nobody`), else why not. */
export async function probeUserSupport(root: string): Promise<string | null> {
  if (target === 'native') return null;
  try {
    const r = await pbashExec(root, ['/usr/bin/id', '-u'], { user: 'nobody', timeout: 30_000 });
    if (r.exitCode === 0 && r.stdout.toString().trim() === '65534') return null;
    const why = r.stderr.toString().trim().split('\n')[0] || `exit ${r.exitCode}, stdout ${JSON.stringify(r.stdout.toString().trim())}`;
    return `pbash --standalone cannot run as another user yet (-u nobody: ${why})`;
  } catch (e) {
    return `pbash could not be started: ${e instanceof Error ? e.message : String(e)}`;
  }
}
