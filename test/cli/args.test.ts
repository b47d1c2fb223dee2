import test from 'ava';
import { linuxArgv, parseArgs, UsageError } from '../../src/cli/args.js';

const run = (argv: string[]) => {
  const p = parseArgs(argv);
  if (p.kind !== 'run') throw new Error(`not a run: ${p.kind}`);
  return p.opts;
};

test('-c runs the command through /bin/sh, later words become $0 $1', (t) => {
  t.deepEqual(linuxArgv(run(['-c', 'echo $0 $1', 'a', 'b'])), ['/bin/sh', '-c', 'echo $0 $1', 'a', 'b']);
});

test('-e keeps every following word for the program, options included', (t) => {
  const o = run(['--root', '/r', '--standalone', '-e', 'ls', '-l', '--root', 'x']);
  t.is(o.root, '/r');
  t.true(o.standalone);
  t.deepEqual(linuxArgv(o), ['ls', '-l', '--root', 'x']);
});

test('-- joins the words into one shell command', (t) => {
  t.deepEqual(linuxArgv(run(['--', 'ls', '-la', '/tmp'])), ['/bin/sh', '-c', 'ls -la /tmp']);
});

test('options take values; a missing value or an unknown option is a usage error', (t) => {
  const o = run(['-d', 'deb', '-u', 'root', '--cd', '/tmp']);
  t.is(o.distribution, 'deb');
  t.is(o.user, 'root');
  t.is(o.cd, '/tmp');
  t.is(o.mode, 'shell');
  t.throws(() => parseArgs(['--cd']), { instanceOf: UsageError });
  t.throws(() => parseArgs(['--bogus']), { instanceOf: UsageError });
  t.throws(() => parseArgs(['--']), { instanceOf: UsageError });
});

test('subcommands, help and version are recognized', (t) => {
  t.deepEqual(parseArgs(['status', '--json']), { kind: 'subcommand', name: 'status', args: ['--json'] });
  t.deepEqual(parseArgs(['--help']), { kind: 'help' });
  t.deepEqual(parseArgs(['-V']), { kind: 'version' });
});
