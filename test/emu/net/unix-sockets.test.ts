// Differential: AF_UNIX sockets beyond socketpair — bind/listen/accept/connect on paths and abstract names,
// datagram addressing, names and errors — own C programs compiled static at test time, run natively and under
// `pbash --standalone --root DIR`; stdout, stderr and the exit status must match.
import test from 'ava';
import { compileStatic } from '../../helpers/compile.js';
import { pbashExec, pbashMissingReason } from '../../helpers/pbash.js';
import { run } from '../../helpers/run.js';

const PROGRAMS = ['unix-stream', 'unix-dgram'];
const missing = pbashMissingReason();

for (const name of PROGRAMS) {
  (missing ? test.skip : test)(`${name}: pbash matches native Linux`, async (t) => {
    const dir = compileStatic(name);
    const native = await run(`${dir}/${name}`, [], { cwd: dir, timeout: 30_000 });
    const pbash = await pbashExec(dir, [`/${name}`], { cd: '/', timeout: 30_000 });
    t.is(native.exitCode, 0, native.stderr.toString());
    t.is(pbash.stderr.toString(), native.stderr.toString());
    t.is(pbash.stdout.toString(), native.stdout.toString());
    t.is(pbash.exitCode, native.exitCode);
  });
}
