// Differential: fork's copy of memory (test/programs/fork-memory.c) and programs with the same layout but
// different code run one after another on reused engines (test/programs/exec-variants.c), natively (in a
// chroot of the program directory) and under `pbash --standalone --root DIR`.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { compileStatic } from '../../helpers/compile.js';
import { pbashExec, pbashMissingReason, repoRoot } from '../../helpers/pbash.js';
import { run } from '../../helpers/run.js';

const missing = pbashMissingReason();
const VARIANTS = 6;

async function same(t: import('ava').ExecutionContext, dir: string, prog: string): Promise<void> {
  const native = await run('chroot', [dir, prog], { timeout: 60_000 });
  const pbash = await pbashExec(dir, [prog], { cd: '/', timeout: 60_000 });
  t.is(native.exitCode, 0, native.stderr.toString());
  t.is(pbash.stderr.toString(), native.stderr.toString());
  t.is(pbash.stdout.toString(), native.stdout.toString());
  t.is(pbash.exitCode, native.exitCode);
}

(missing ? test.skip : test)('fork: writes stay apart, protections and threads carried over, vfork shares', async (t) => {
  const dir = compileStatic('fork-memory', ['-pthread']);
  await same(t, dir, '/fork-memory');
});

(missing ? test.skip : test)('programs with the same layout and different code, run in turn, each run their own code', async (t) => {
  const dir = compileStatic('exec-variants', ['-DVARIANT=0', `-DCOUNT=${VARIANTS}`], 'v0');
  const src = path.join(repoRoot, 'test', 'programs', 'exec-variants.c');
  for (let i = 1; i < VARIANTS; i++) {
    execFileSync('gcc', ['-static', '-O2', `-DVARIANT=${i}`, `-DCOUNT=${VARIANTS}`, '-o', path.join(dir, `v${i}`), src]);
  }
  await same(t, dir, '/v0');
});
