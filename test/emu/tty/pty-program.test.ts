// A C program exercising ptys (openpt/grantpt/unlockpt/ptsname, echo, a child taking the slave as its
// controlling terminal, master EIO, hangup) run natively and under bin/pbash: the outputs must match.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { compileStatic } from '../../helpers/compile.js';
import { pbashExec, pbashMissingReason } from '../../helpers/pbash.js';

const why = pbashMissingReason() ?? (process.platform !== 'linux' || !fs.existsSync('/dev/ptmx') ? 'needs Linux with /dev/ptmx for the native run' : null);

(why ? test.skip : test)('pty-pair: native and pbash agree', async (t) => {
  const dir = compileStatic('pty-pair');
  const native = execFileSync(path.join(dir, 'pty-pair'), { timeout: 20_000 }).toString();
  t.regex(native, /child status 0\n$/);
  const r = await pbashExec(dir, ['/pty-pair'], { timeout: 60_000 });
  t.is(r.stderr.toString(), '');
  t.is(r.stdout.toString(), native);
  t.is(r.exitCode, 0);
});
