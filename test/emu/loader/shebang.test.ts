import test from 'ava';
import { parseShebang } from '../../../src/emu/loader/shebang.js';
import { LinuxError, E } from '../../../src/emu/kernel/errno.js';

const parse = (s: string) => parseShebang(Buffer.from(s, 'latin1'));
const errno = (s: string): number => {
  try { parse(s); } catch (e) { if (e instanceof LinuxError) return e.errno; throw e; }
  return 0;
};

// [script start, interpreter, argument]
const cases: Array<[string, string, string | null]> = [
  ['#!/bin/sh\necho hi\n', '/bin/sh', null],
  ['#! /bin/sh\n', '/bin/sh', null],
  ['#!\t/bin/sh  \t\n', '/bin/sh', null],
  ['#!/usr/bin/env python3\n', '/usr/bin/env', 'python3'],
  ['#!/usr/bin/env  python3 -u  -x \n', '/usr/bin/env', 'python3 -u  -x'], // the rest is ONE argument
  ['#!/bin/awk -f\n', '/bin/awk', '-f'],
  ['#!/bin/sh', '/bin/sh', null], // no newline, whole file
  ['#!/bin/sh -e', '/bin/sh', '-e'],
  ['#!/bin/sh\r\n', '/bin/sh\r', null], // CR is not whitespace (a classic DOS-script failure)
  ['#!/bin/sh\0junk -x\n', '/bin/sh', null], // NUL ends the interpreter, no argument then
  ['#!/bin/sh \0x\n', '/bin/sh', ''], // as Linux: an argument that is empty up to its NUL
  ['#!', '', null], // an empty path: the exec then fails with ENOENT, as on Linux
];
for (const [src, interp, arg] of cases) {
  test(`shebang ${JSON.stringify(src)}`, (t) => {
    t.deepEqual(parse(src), { interp, arg });
  });
}

test('no interpreter or only blanks is ENOEXEC', (t) => {
  t.is(errno('#!\n'), E.ENOEXEC);
  t.is(errno('#!   \t\n'), E.ENOEXEC);
  t.is(errno(`#!${' '.repeat(300)}`), E.ENOEXEC);
  t.is(errno('# /bin/sh\n'), E.ENOEXEC);
});

test('a line past 255 bytes: truncated interpreter path is ENOEXEC, a truncated argument is kept cut', (t) => {
  t.is(errno(`#!/bin/${'a'.repeat(300)}\n`), E.ENOEXEC);
  const r = parse(`#!/bin/echo ${'b'.repeat(300)}\n`);
  t.is(r.interp, '/bin/echo');
  t.is(r.arg, 'b'.repeat(255 - '#!/bin/echo '.length));
  t.deepEqual(parse(`#!/bin/sh ${'c'.repeat(240)}\n`).arg, 'c'.repeat(240)); // fits: 2+7+1+240 = 250
});
