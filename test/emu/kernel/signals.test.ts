import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getRootfs, rootfsUnavailableReason } from '../../helpers/rootfs.js';
import { repoRoot, runPbash } from '../../helpers/pbash.js';
import { run } from '../../helpers/run.js';

// Differential: the same static program run natively (chroot into the Debian rootfs) and under pbash.
const why = rootfsUnavailableReason();
const differential = (title: string, program: string): void => {
  (why ? test.skip : test)(`${title}${why ? ` (${why})` : ''}`, async (t) => {
    const root = await getRootfs();
    const dir = path.join(root, 'tmp', 'pbash-signals');
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('gcc', ['-static', '-O1', '-o', path.join(dir, program), path.join(repoRoot, 'test', 'programs', `${program}.c`)]);
    const native = await run('chroot', [root, `/tmp/pbash-signals/${program}`], { timeout: 60_000 });
    const pbash = await runPbash(['--standalone', '--root', root, '-e', `/tmp/pbash-signals/${program}`], { timeout: 60_000 });
    t.is(pbash.stderr.toString(), native.stderr.toString());
    t.is(pbash.stdout.toString(), native.stdout.toString());
    t.is(pbash.exitCode, native.exitCode);
  });
};

differential('signal delivery, masks, restarts, faults, job control', 'signals');
differential('signalfd: records, poll readiness, SIGCHLD', 'signalfd');
differential('memfd_create: I/O, mmap, seals', 'memfd');
differential('credentials: set*id rules, setfsuid, setgroups, capget', 'credentials');
differential('subreaper and parent-death signal', 'reaper');
differential('AF_UNIX socketpair: streams, records, SCM_RIGHTS, SO_PEERCRED, shutdown, EPIPE', 'socketpair');
