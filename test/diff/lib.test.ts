// Unit tests of the differential harness itself (no rootfs needed).
import test from 'ava';
import { expandShells, loadCases } from './lib/cases.js';
import { compareSides, lineDiff } from './lib/compare.js';
import { guestArgv, GUEST_ENV, type SideResult } from './lib/sides.js';

const side = (o: Partial<SideResult>): SideResult => ({
  command: [], stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0, signal: null, timedOut: false, durationMs: 0, tree: '', ...o,
});

test('the corpus loads, names are unique, and it covers the Foundation list', (t) => {
  const cases = loadCases();
  const runnable = cases.filter((c) => !c.needs?.length && !c.skip);
  t.true(runnable.length >= 80);
  const text = JSON.stringify(cases);
  for (const word of ['ls', 'cat', 'head', 'tail', 'sort', 'uniq', 'wc', 'cut', 'tr', 'od', 'stat', 'date', 'seq', 'printf', 'env',
    'md5sum', 'sha256sum', 'base64', 'expr', 'grep', 'sed', 'mawk', 'find', 'tar', 'gzip', 'gunzip', 'busybox']) {
    t.true(text.includes(`"${word}"`) || text.includes(`/${word}"`), `a case runs ${word}`);
  }
  t.true(cases.some((c) => c.user === 'nobody'), 'a permission-denied case');
  t.true(cases.some((c) => c.needs?.includes('fork')), 'needs-fork cases are listed');
});

test('a script case becomes one argv case per shell', (t) => {
  const all = expandShells({ name: 's', script: ['echo a', 'echo b'], normalize: [['x', 'y']] });
  t.deepEqual(all.map((c) => c.name), ['s.bash', 's.dash', 's.ash']);
  t.deepEqual(all[0]!.argv, ['/bin/bash', '-c', 'echo a\necho b']);
  t.deepEqual(all[2]!.argv, ['/usr/local/bin/busybox', 'sh', '-c', 'echo a\necho b']);
  t.deepEqual(all[1]!.normalize, [['x', 'y']]);
  t.is(all[0]!.script, undefined);
  t.deepEqual(expandShells({ name: 'b', script: 'echo', shells: ['bash'] }).map((c) => c.name), ['b.bash']);
  const perShell = loadCases().filter((c) => c.file?.startsWith('shell-'));
  for (const sh of ['bash', 'dash', 'ash']) {
    t.true(perShell.filter((c) => c.name.endsWith(`.${sh}`)).length >= 100, `at least 100 ${sh} cases`);
  }
});

test('guestArgv wraps the program in env -i with the documented environment', (t) => {
  const argv = guestArgv({ name: 'x', argv: ['ls', '-l'] }, '/tmp/d');
  t.deepEqual(argv.slice(0, 4), ['/usr/bin/env', '-i', '-C', '/tmp/d']);
  t.deepEqual(argv.slice(-2), ['ls', '-l']);
  t.true(argv.includes(`PATH=${GUEST_ENV.PATH}`));
  t.deepEqual(guestArgv({ name: 'y', sh: 'echo hi' }, '/').slice(-3), ['/bin/sh', '-c', 'echo hi']);
});

test('lineDiff marks removed and added lines around the first difference', (t) => {
  const d = lineDiff('a\nb\nc\nd\n', 'a\nB\nc\nd\n');
  t.is(d[0], '@@ first difference at line 2 @@');
  t.true(d.includes('- b'));
  t.true(d.includes('+ B'));
});

test('compareSides reports exit, stdout, stderr and file differences', (t) => {
  const c = { name: 'z', argv: ['true'], file: 't.json' };
  t.true(compareSides(c, side({}), side({})).ok);
  const r = compareSides(c, side({ exitCode: 1, stdout: Buffer.from('x\n'), tree: '. dir\n' }), side({ exitCode: 2, stderr: Buffer.from('e\n'), tree: '. dir\nf file\n' }));
  t.false(r.ok);
  t.deepEqual(r.differs, ['exit', 'stdout', 'stderr', 'files']);
  t.regex(r.report, /exit status: native 1, pbash 2/);
  const bin = compareSides(c, side({ stdout: Buffer.from([0, 1, 2, 3]) }), side({ stdout: Buffer.from([0, 1, 9, 3]) }));
  t.regex(bin.report, /binary output differs at offset 2/);
});

test('normalize patterns apply to both sides', (t) => {
  const c = { name: 'n', argv: ['x'], normalize: [['pid \\d+', 'pid N']] as [string, string][] };
  t.true(compareSides(c, side({ stdout: Buffer.from('pid 12\n') }), side({ stdout: Buffer.from('pid 345\n') })).ok);
});
