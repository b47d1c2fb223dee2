// A C test program from test/programs, compiled with gcc -static at test time into the Debian rootfs
// (so it can exec the rootfs's /bin/sh), run natively under chroot and under pbash on the same root.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ExecutionContext } from 'ava';
import { getRootfs } from './rootfs.js';
import { repoRoot, runPbash } from './pbash.js';
import { run } from './run.js';

/**
 * Compile test/programs/NAME.c to guest /tmp/pbash-programs/NAME; returns the guest path. `link`: linked
 * dynamically against these (host paths of the rootfs's shared libraries) instead of statically.
 */
export async function compileIntoRootfs(name: string, link?: (root: string) => string[]): Promise<{ root: string; guest: string }> {
  const root = await getRootfs();
  const dir = path.join(root, 'tmp', 'pbash-programs');
  fs.mkdirSync(dir, { recursive: true });
  // a per-process name, then rename: concurrent test processes never run a half-written binary
  const tmp = path.join(dir, `.${name}.${process.pid}`);
  const src = path.join(repoRoot, 'test', 'programs', `${name}.c`);
  execFileSync('gcc', link ? ['-O1', '-pthread', '-o', tmp, src, ...link(root)] : ['-static', '-O1', '-pthread', '-o', tmp, src]);
  fs.renameSync(tmp, path.join(dir, name));
  return { root, guest: `/tmp/pbash-programs/${name}` };
}

/**
 * Runs the program both ways and asserts stderr, stdout and exit status are identical (after `mask`, which
 * blanks a known difference so the rest of the output still guards against regressions). `privateIpc` runs
 * the native side in its own IPC and mount namespaces (unshare --ipc --mount), as empty as a fresh pbash
 * instance's, for programs that use fixed System V keys or POSIX queue names, or mount an mqueue filesystem.
 * `link`: as compileIntoRootfs's. `withProc` mounts a proc filesystem for the native side (programs reading
 * /proc/PID files; pbash has its own).
 */
export async function assertSameAsNative(t: ExecutionContext, name: string, mask?: RegExp, timeout = 120_000, privateIpc = false,
  link?: (root: string) => string[], withProc = false): Promise<void> {
  const { root, guest } = await compileIntoRootfs(name, link);
  const native = withProc
    ? await run('unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', 'mount -t proc proc "$0/proc" && exec chroot "$0" "$1"', root, guest], { timeout })
    : privateIpc
      ? await run('unshare', ['--ipc', '--mount', 'chroot', root, guest], { timeout })
      : await run('chroot', [root, guest], { timeout });
  const pbash = await runPbash(['--standalone', '--root', root, '-e', guest], { timeout });
  const text = (b: Buffer): string => (mask ? b.toString().replace(mask, '<masked>') : b.toString());
  t.is(text(pbash.stderr), text(native.stderr));
  t.is(text(pbash.stdout), text(native.stdout));
  t.is(pbash.exitCode, native.exitCode);
}
