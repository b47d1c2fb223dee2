// dlclose unmaps code that ran: its translations must go even when no TLB entry for those pages is cached
// (a failed code-page lookup inside the syscall hook once surfaced as "Unhandled CPU exception"). Real PAM
// modules with their dependencies, native in a chroot vs pbash, on a hard-linked copy of the test rootfs.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getRootfs, rootfsUnavailableReason } from '../../helpers/rootfs.js';
import { pbashExec, repoRoot } from '../../helpers/pbash.js';

const why = rootfsUnavailableReason() ?? (process.getuid?.() === 0 ? null : 'chroot needs root');
if (why) test.skip(`dlclose: ${why}`, () => undefined);
else {
  test('dlopen/dlclose of PAM modules with dependencies: same as native', async (t) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-dl-'));
    t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
    // hard links of everything but /tmp, where other tests create and remove files while cp walks
    const rootfs = await getRootfs();
    const top = fs.readdirSync(rootfs).filter((n) => n !== 'tmp').map((n) => path.join(rootfs, n));
    execFileSync('cp', ['-al', ...top, root]);
    fs.mkdirSync(path.join(root, 'tmp'));
    fs.chmodSync(path.join(root, 'tmp'), 0o1777);
    fs.chmodSync(root, 0o755);
    execFileSync('gcc', ['-O1', '-o', path.join(root, 'tmp', 'dlclose'), path.join(repoRoot, 'test', 'programs', 'dlclose.c')]);
    const mods = ['pam_rootok.so', 'pam_env.so', 'pam_unix.so'].map((m) => `/lib/x86_64-linux-gnu/security/${m}`);
    const native = execFileSync('chroot', [root, '/tmp/dlclose', ...mods]).toString();
    const r = await pbashExec(root, ['/tmp/dlclose', ...mods]);
    t.is(r.stderr.toString(), '');
    t.is(r.exitCode, 0);
    t.is(r.stdout.toString(), native);
  });
}
