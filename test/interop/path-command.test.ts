import test from 'ava';
import { runPathCommand } from '../../src/interop/path-command.js';
import { pbashpathProgram } from '../../src/instance/pbashpath.js';
import type { HostView } from '../../src/interop/paths.js';

const v: HostView = { platform: 'linux', mountRoot: '/mnt/', distroRoot: null };
const ok = (stdout: string) => ({ status: 0, stdout, stderr: '' });

test('wslpath options: -u default, -w, -m, -a, combined flags, --', (t) => {
  t.deepEqual(runPathCommand('p', ['/tmp/a b'], v, '/'), ok('/mnt/host/tmp/a b\n'));
  t.deepEqual(runPathCommand('p', ['-u', '/'], v, '/'), ok('/mnt/host\n'));
  t.deepEqual(runPathCommand('p', ['-w', '/mnt/host/tmp/a b'], v, '/'), ok('/tmp/a b\n'));
  t.deepEqual(runPathCommand('p', ['-m', '/mnt/host/x'], v, '/'), ok('/x\n'));
  t.deepEqual(runPathCommand('p', ['-aw', 'c d'], v, '/mnt/host/srv'), ok('/srv/c d\n'));
  t.deepEqual(runPathCommand('p', ['-w', 'c d'], v, '/mnt/host/srv'), ok('c d\n'));
  t.deepEqual(runPathCommand('p', ['-a', '-u', 'rel'], v, '/home/u'), ok('/home/u/rel\n'));
  t.deepEqual(runPathCommand('p', ['-w', '--', '-odd'], v, '/mnt/host/tmp'), ok('-odd\n'));
});

test('errors: one line on stderr, status 1', (t) => {
  for (const [args, msg] of [[['-w', '/etc'], 'p: /etc: not reachable from the host\n'], [[], 'p: usage: [-a] [-u|-w|-m] PATH\n'],
    [['-x', '/a'], 'p: unknown option -x; usage: [-a] [-u|-w|-m] PATH\n'], [['a', 'b'], 'p: one PATH only; usage: [-a] [-u|-w|-m] PATH\n'],
    [[''], 'p: empty path\n']] as const) {
    t.deepEqual(runPathCommand('p', args, v, '/'), { status: 1, stdout: '', stderr: msg });
  }
});

test('the builtin program: byte strings in and out, exact for any bytes on POSIX hosts', (t) => {
  const prog = pbashpathProgram({ ...v, mountRoot: '/mé/' });
  const name = Buffer.from([0x2f, 0x74, 0xff, 0xfe, 0x20, 0x0a]).toString('latin1'); // "/t\xff\xfe \n": not UTF-8
  const mountRoot = Buffer.from('/mé/', 'utf8').toString('latin1');
  const there = prog({ argv: ['pbashpath', name], env: [], cwd: '/' });
  t.deepEqual(there, ok(`${mountRoot}host${name}\n`));
  const back = prog({ argv: ['pbashpath', '-w', there.stdout.slice(0, -1)], env: [], cwd: '/' });
  t.deepEqual(back, ok(`${name}\n`));
  t.is(prog({ argv: ['pbashpath', '-w', '/etc'], env: [], cwd: '/' }).status, 1);
});
