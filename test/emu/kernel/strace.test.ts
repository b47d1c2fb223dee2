// The host's strace (a Debian bookworm binary, when installed) traces a program natively (chroot) and
// under pbash in a small root holding strace, its libraries and the program: the trace, the program's own
// output and the exit status must match. strace drives ptrace(2) as users do: PTRACE_SEIZE, options,
// PTRACE_SYSCALL, GETREGSET, GET_SYSCALL_INFO, PEEKDATA/process_vm_readv, and fault injection by skipping a
// call at its entry (-e inject).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, run, runPbash } from '../../helpers/pbash.js';

const STRACE = '/usr/bin/strace';

/** A root with strace, the shared libraries ldd names for it, and the program compiled static. */
function makeRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-strace-'));
  const put = (host: string): void => {
    const dest = path.join(root, host);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(fs.realpathSync(host), dest);
    fs.chmodSync(dest, 0o755);
  };
  put(STRACE);
  const libs = execFileSync('ldd', [STRACE]).toString().matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g);
  for (const [, lib] of libs) put(lib);
  execFileSync('gcc', ['-static', '-O1', '-o', path.join(root, 'prog'), path.join(repoRoot, 'test', 'programs', 'strace-target.c')]);
  return root;
}

const missing = !fs.existsSync(STRACE) ? `no ${STRACE} on this host` : process.getuid?.() !== 0 ? 'needs root for chroot' : '';

(missing ? test.skip : test)(`strace: the same trace, injection and status as native${missing ? ` (${missing})` : ''}`, async (t) => {
  const root = makeRoot();
  try {
    const args = ['-qq', '-e', 'trace=write,close,exit_group', '-e', 'inject=close:error=EPERM:when=2', '/prog'];
    const native = await run('chroot', [root, STRACE, ...args], { timeout: 60_000 });
    const pbash = await runPbash(['--standalone', '--root', root, '-e', STRACE, ...args], { timeout: 120_000 });
    t.regex(native.stderr.toString(), /INJECTED/);
    t.is(pbash.stderr.toString(), native.stderr.toString());
    t.is(pbash.stdout.toString(), native.stdout.toString());
    t.is(pbash.exitCode, native.exitCode);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
