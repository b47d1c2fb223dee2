// The plain `pbash status` snapshot: aligned columns (every cell of a column starts, or for numbers ends,
// at the same offset as its header), no escape codes, and "not running" without an instance.
import test from 'ava';
import { columns, statusLines } from '../../src/cli/status-view.js';
import type { ProcessInfo, Snapshot } from '../../src/interop/protocol/status.js';

const proc = (pid: number, ppid: number, argv: string[]): ProcessInfo => ({
  pid, ppid, pgid: ppid, sid: ppid, uid: 0, state: 'S', comm: argv[0], cmdline: argv, cpuMs: pid * 10,
  rssBytes: pid << 20, vmBytes: pid << 22, fds: 3, tty: null, startedAt: 0, syscalls: pid * 1000, threads: [{ tid: pid, state: 'S', cpuMs: 0, syscalls: 0 }],
});

const snap: Snapshot = {
  schema: 1, running: true, at: 10_000,
  daemon: { pid: 77, version: '0.1.0', startedAt: 0, uptimeMs: 10_000, rssBytes: 50 << 20, cpuMs: 1500, idleMs: 15_000, clients: 1 },
  sessions: [{ id: 1, distro: 'debian', pid: 2, clientPid: 4242, argv: ['/bin/sh', '-c', 'sleep 30 | cat'], terminal: false, since: 9000 }],
  distros: [{ name: 'debian', root: '/d', kind: 'dir', bootedAt: 0, mounts: [], processes: [proc(2, 1, ['sh']), proc(31, 2, ['sleep', '30']), proc(1234, 2, ['cat'])] }],
  syscalls: [{ nr: 0, name: 'read', calls: 5, errors: 0, ms: 0.1 }, { nr: 61, name: 'wait4', calls: 12345, errors: 2, ms: 3.25 }],
  unimplemented: [{ nr: 334, name: 'rseq', count: 3, lastPid: 31 }],
};

test('no instance: one line', (t) => {
  t.deepEqual(statusLines(null), ['instance: not running']);
});

test('columns: left-aligned text, right-aligned numbers, no trailing spaces', (t) => {
  t.deepEqual(columns([['PID', 'NAME', 'N'], ['7', 'x', '100'], ['1234', 'longer', '5']], new Set([0, 2])),
    [' PID  NAME      N', '   7  x       100', '1234  longer    5']);
});

test('a snapshot: processes, sessions, syscalls and unimplemented ones, aligned, without escapes', (t) => {
  const lines = statusLines(snap);
  const text = lines.join('\n');
  t.false(text.includes('\x1b'));
  t.regex(lines[0], /^instance: running, pid 77, pbash 0\.1\.0, up 10\.0 s/);
  const header = lines.findIndex((l) => /^\s*PID\s+PPID/.test(l));
  const rows = lines.slice(header, header + 4);
  t.regex(rows[1], /sh$/);
  t.regex(rows[2], /sleep 30$/);
  t.regex(rows[3], /cat$/);
  const end = (l: string, word: string): number => l.indexOf(word) + word.length;
  // numeric columns end where their header ends
  t.true(rows.slice(1).every((r) => /\d/.test(r[end(rows[0], 'PID') - 1])));
  t.is(new Set(rows.map((r) => r.indexOf(' S ') >= 0 ? r.indexOf(' S ') : rows[0].indexOf(' S '))).size, 1);
  t.regex(text, /^\s*61\s+wait4\s+12345\s+2\s+3\.3$/m);
  t.regex(text, /^\s*334\s+rseq\s+3\s+31$/m);
  t.regex(text, /^\s*1\s+debian\s+2\s+4242\s+no\s+1\.0 s\s+\/bin\/sh -c sleep 30 \| cat$/m);
});
