import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getRootfs, rootfsUnavailableReason } from '../../helpers/rootfs.js';
import { repoRoot, runPbash } from '../../helpers/pbash.js';
import { run } from '../../helpers/run.js';

// Differential: a pthreads program run natively (chroot) and under pbash.
const why = rootfsUnavailableReason();
(why ? test.skip : test)(`threads: mutexes, condition variables, join, TLS, pthread_kill${why ? ` (${why})` : ''}`, async (t) => {
  const root = await getRootfs();
  const dir = path.join(root, 'tmp', 'pbash-threads');
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('gcc', ['-static', '-O1', '-pthread', '-o', path.join(dir, 'threads'), path.join(repoRoot, 'test', 'programs', 'threads.c')]);
  const native = await run('chroot', [root, '/tmp/pbash-threads/threads'], { timeout: 60_000 });
  const pbash = await runPbash(['--standalone', '--root', root, '-e', '/tmp/pbash-threads/threads'], { timeout: 60_000 });
  t.is(pbash.stderr.toString(), native.stderr.toString());
  t.is(pbash.stdout.toString(), native.stdout.toString());
  t.is(pbash.exitCode, native.exitCode);
});
