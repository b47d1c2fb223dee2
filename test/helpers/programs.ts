// Differential tests of own C programs: each compiled static at test time, run natively in its directory and
// under `pbash --standalone --root DIR` from "/"; stdout, stderr and the exit status must match.
import test from 'ava';
import { compileStatic } from './compile.js';
import { pbashExec, pbashMissingReason } from './pbash.js';
import { run } from './run.js';

export function differentialPrograms(names: string[], timeout = 60_000): void {
  const missing = pbashMissingReason();
  for (const name of names) {
    (missing ? test.skip : test)(`${name}: pbash matches native Linux`, async (t) => {
      const dir = compileStatic(name);
      const native = await run(`${dir}/${name}`, [], { cwd: dir, timeout });
      const pbash = await pbashExec(dir, [`/${name}`], { cd: '/', timeout });
      t.is(native.exitCode, 0, native.stderr.toString());
      t.is(pbash.stderr.toString(), native.stderr.toString());
      t.is(pbash.stdout.toString(), native.stdout.toString());
      t.is(pbash.exitCode, native.exitCode);
    });
  }
}
