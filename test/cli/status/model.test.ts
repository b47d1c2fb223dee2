// The dashboard's pure model: process rows (tree, sorts, %CPU over the interval), syscall deltas, the
// reducer's selection, scrolling and kill confirmation, and keys.
import test from 'ava';
import { daemonCpuPct, syscallWindow } from '../../../src/cli/status/deltas.js';
import { actionOf, dashReducer, type KeyInfo } from '../../../src/cli/status/keys.js';
import { processRows, rowKey } from '../../../src/cli/status/rows.js';
import { initialState, keepInView, reduce, type DashState } from '../../../src/cli/status/state.js';
import { colorLevel } from '../../../src/cli/status/color.js';
import { T0, busyTree, distro, proc, snap } from './fixtures.js';

const NO_KEY: KeyInfo = { upArrow: false, downArrow: false, pageUp: false, pageDown: false, home: false, end: false, tab: false, ctrl: false };
const down = { ...NO_KEY, downArrow: true };

test('tree order: children under their parent by pid, with their depth; a parent not listed makes a root', (t) => {
  const rows = processRows(snap({ distros: [distro(busyTree())] }), null, 'tree');
  t.is(rows.length, 20);
  t.deepEqual(rows.slice(0, 5).map((r) => [r.pid, r.depth]), [[2, 0], [3, 1], [4, 2], [5, 2], [6, 1]]);
  t.deepEqual(rows.at(-1)!.pid, 21);
  t.is(rows.at(-1)!.depth, 1);
});

test('%CPU: CPU time gained over the time between snapshots; a new or reused pid over its own life', (t) => {
  const prev = snap({ at: T0, distros: [distro([proc(2, 1, ['a'], { cpuMs: 100 }), proc(3, 2, ['b'], { cpuMs: 50, startedAt: T0 - 10_000 })])] });
  const cur = snap({
    at: T0 + 500,
    distros: [distro([
      proc(2, 1, ['a'], { cpuMs: 350 }), // +250 ms in 500 ms
      proc(3, 2, ['b2'], { cpuMs: 100, startedAt: T0 + 100 }), // pid 3 reused: 100 ms over its 400 ms
      proc(4, 2, ['c'], { cpuMs: 0, startedAt: T0 + 200 }),
    ])],
  });
  const rows = processRows(cur, prev, 'tree');
  t.deepEqual(rows.map((r) => [r.pid, r.cpuPct]), [[2, 50], [3, 25], [4, 0]]);
  t.deepEqual(processRows(cur, prev, 'cpu').map((r) => r.pid), [2, 3, 4]);
  const mem = snap({ distros: [distro([proc(2, 1, ['a'], { rssBytes: 1 }), proc(3, 2, ['b'], { rssBytes: 3 }), proc(4, 2, ['c'], { rssBytes: 2 })])] });
  t.deepEqual(processRows(mem, null, 'mem').map((r) => r.pid), [3, 4, 2]);
});

test('syscall window: counts of the last interval, top by calls and by time; totals when no earlier snapshot', (t) => {
  const prev = snap({ syscalls: [{ nr: 0, name: 'read', calls: 100, errors: 1, ms: 2 }, { nr: 1, name: 'write', calls: 10, errors: 0, ms: 5 }] });
  const cur = snap({
    at: T0 + 500,
    syscalls: [{ nr: 0, name: 'read', calls: 130, errors: 1, ms: 2.5 }, { nr: 1, name: 'write', calls: 30, errors: 2, ms: 9 }, { nr: 39, name: 'getpid', calls: 5, errors: 0, ms: 0 }],
  });
  const w = syscallWindow(cur, prev, 10);
  t.is(w.intervalMs, 500);
  t.deepEqual(w.byCount.map((d) => [d.name, d.calls, d.errors]), [['read', 30, 0], ['write', 20, 2], ['getpid', 5, 0]]);
  t.deepEqual(w.byTime.map((d) => d.name), ['write', 'read']);
  const first = syscallWindow(cur, null, 1);
  t.is(first.intervalMs, null);
  t.deepEqual(first.byCount.map((d) => [d.name, d.calls]), [['read', 130]]);
  // another daemon (restarted instance): its counters are not a delta of the old one's
  const other = syscallWindow(snap({ ...cur, daemon: { ...cur.daemon, pid: 1 } }), prev, 10);
  t.is(other.intervalMs, null);
  t.is(daemonCpuPct(snap({ at: T0 + 1000, daemon: { ...prev.daemon, cpuMs: prev.daemon.cpuMs + 250 } }), prev), 25);
});

test('selection follows the process across snapshots; an ended one hands it to the row at its place', (t) => {
  let s = reduce(initialState, { type: 'snapshot', snapshot: snap({ distros: [distro(busyTree())] }) });
  t.is(s.selected, rowKey('bookworm', 2));
  for (let i = 0; i < 3; i++) s = dashReducer(s, { type: 'key', input: '', key: down, view: { height: 5, limit: 0 } });
  t.is(s.selected, rowKey('bookworm', 5));
  // pid 5 still there, others gone: the selection stays on 5
  s = reduce(s, { type: 'snapshot', snapshot: snap({ distros: [distro(busyTree().filter((p) => p.pid !== 3 && p.pid !== 4))] }) });
  t.is(s.selected, rowKey('bookworm', 5));
  // pid 5 ends: the row now at its place is selected
  s = reduce(s, { type: 'snapshot', snapshot: snap({ distros: [distro(busyTree())] }) });
  t.is(s.selected, rowKey('bookworm', 5));
  s = reduce(s, { type: 'snapshot', snapshot: snap({ distros: [distro(busyTree().filter((p) => p.pid !== 5))] }) });
  t.is(s.selected, rowKey('bookworm', 6));
  s = reduce(s, { type: 'snapshot', snapshot: null });
  t.is(s.selected, null);
  t.true(s.loaded);
});

test('scrolling keeps the selection in view; list panes scroll within their limit', (t) => {
  t.is(keepInView(0, 10, 5, 20), 6);
  t.is(keepInView(6, 3, 5, 20), 3);
  t.is(keepInView(15, 19, 5, 20), 15);
  t.is(keepInView(30, 0, 5, 3), 0);
  let s: DashState = reduce(initialState, { type: 'snapshot', snapshot: snap({ distros: [distro(busyTree())] }) });
  s = dashReducer(s, { type: 'key', input: '', key: { ...NO_KEY, end: true }, view: { height: 5, limit: 0 } });
  t.is(s.selected, rowKey('bookworm', 21));
  t.is(s.offsets.processes, 15);
  s = reduce(s, { type: 'tab' });
  t.is(s.pane, 'syscalls');
  for (let i = 0; i < 5; i++) s = dashReducer(s, { type: 'key', input: '', key: down, view: { height: 5, limit: 3 } });
  t.is(s.offsets.syscalls, 3);
  t.is(s.selected, rowKey('bookworm', 21), 'the process selection is not moved by another pane');
});

test('kill: asks confirmation for the selected process; y makes it pending, anything else cancels; an ended target cancels', (t) => {
  const view = { height: 5, limit: 0 };
  const key = (s: DashState, input: string): DashState => dashReducer(s, { type: 'key', input, key: NO_KEY, view });
  let s = reduce(initialState, { type: 'snapshot', snapshot: snap({ distros: [distro(busyTree())] }) });
  s = dashReducer(s, { type: 'key', input: '', key: down, view });
  const before = s;
  s = key(s, 'k');
  t.deepEqual(s.confirm, { distro: 'bookworm', pid: 3, command: 'make worker0', signal: 15 });
  t.is(key(s, 'q').quit, false, 'q during a confirmation cancels it, it does not quit');
  t.is(key(s, 'q').confirm, null);
  const sent = key(s, 'y');
  t.deepEqual(sent.pending, s.confirm);
  t.is(sent.confirm, null);
  t.is(key(s, 'K').confirm, null);
  t.is(key(key(s, 'n'), 'K').confirm!.signal, 9);
  const gone = reduce(s, { type: 'snapshot', snapshot: snap({ distros: [distro(busyTree().filter((p) => p.pid !== 3))] }) });
  t.is(gone.confirm, null);
  t.regex(gone.message!.text, /pid 3 ended/);
  t.regex(key(reduce(before, { type: 'tab' }), 'k').message!.text, /Processes pane/);
  // the outcome of a sent signal arrives while the next confirmation is asked: it stays asked
  const again = key(sent, 'k');
  const told = reduce(again, { type: 'message', message: { text: 'SIGTERM sent', error: false } });
  t.deepEqual(told.confirm, again.confirm);
  t.is(told.pending, null);
  t.deepEqual(actionOf('c', { ...NO_KEY, ctrl: true }, s, view), { type: 'quit' });
  t.deepEqual(actionOf('x', NO_KEY, initialState, view), null);
});

test('colour: none when the output is not a terminal or NO_COLOR is set and not empty', (t) => {
  t.is(colorLevel({}, true, 2), 2);
  t.is(colorLevel({}, false, 3), 0);
  t.is(colorLevel({ NO_COLOR: '1' }, true, 3), 0);
  t.is(colorLevel({ NO_COLOR: '' }, true, 1), 1);
});
