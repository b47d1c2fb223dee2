// The ink dashboard rendered with ink-testing-library: the states (connecting, stopped, idle, busy with 20
// processes, unimplemented syscalls), 80×24 and 60 columns and a resize, and the keys through stdin writes
// (select, sort, tab, kill with its confirmation, quit restoring the terminal's mode).
import test from 'ava';
import chalk from 'chalk';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { Dashboard, type Feed } from '../../../src/cli/status/Dashboard.js';
import type { Confirm } from '../../../src/cli/status/state.js';
import type { Snapshot } from '../../../src/interop/protocol/status.js';
import { T0, busyTree, distro, proc, session, snap } from './fixtures.js';

const UP = '\x1b[A', DOWN = '\x1b[B', TAB = '\t';

function mount(size = { cols: 80, rows: 24 }, killResult: (c: Confirm) => Promise<void> = async () => undefined) {
  let listener: ((s: Snapshot | null) => void) | null = null;
  const feed: Feed = (l) => { listener = l; return () => { listener = null; }; };
  const kills: Confirm[] = [];
  const kill = (c: Confirm): Promise<void> => { kills.push(c); return killResult(c); };
  const r = render(createElement(Dashboard, { feed, kill, size }));
  const frame = (): string => r.lastFrame() ?? '';
  return {
    r, kills, frame,
    push: (s: Snapshot | null): void => listener!(s),
    resize: (cols: number, rows: number): void => r.rerender(createElement(Dashboard, { feed, kill, size: { cols, rows } })),
    /** Resolves once the last frame satisfies `ok` (renders may follow a key or a snapshot asynchronously). */
    async until(ok: (f: string) => boolean, what: string): Promise<string> {
      const end = Date.now() + 10_000;
      while (!ok(frame())) {
        if (Date.now() > end) throw new Error(`no frame with ${what}:\n${frame()}`);
        await new Promise((res) => setTimeout(res, 5));
      }
      return frame();
    },
  };
}

const lines = (f: string): string[] => f.split('\n');
const fits = (f: string, cols: number, rows: number): boolean => lines(f).length <= rows - 1 && lines(f).every((l) => [...l].length <= cols);
const selectedLine = (f: string): string => lines(f).find((l) => l.startsWith('> ')) ?? '';

test.before(() => { chalk.level = 0; }); // plain frames; the colour policy has its own tests

const busy = (o: Partial<Snapshot> = {}): Snapshot => snap({
  distros: [distro(busyTree())],
  sessions: [session(1, 2, ['/bin/sh', '-c', 'make -j4'], { terminal: true })],
  syscalls: [{ nr: 0, name: 'read', calls: 500, errors: 0, ms: 3 }, { nr: 61, name: 'wait4', calls: 40, errors: 0, ms: 1.5 }],
  ...o,
});

test.serial('connecting, then stopped when no instance runs', async (t) => {
  const m = mount();
  t.regex(m.frame(), /connecting/);
  m.push(null);
  const f = await m.until((x) => /stopped/.test(x), 'stopped');
  t.regex(f, /no instance is running/);
  t.true(fits(f, 80, 24));
  m.r.unmount();
});

test.serial('idle: an instance with no distro running and no sessions', async (t) => {
  const m = mount();
  m.push(snap());
  const f = await m.until((x) => /instance: running/.test(x), 'running');
  t.regex(f, /pbash 0\.1\.0 {2}pid 4242 {2}up 1 min 5 s/);
  t.regex(f, /no distro running/);
  t.regex(f, /no Linux process is running/);
  t.regex(f, /daemon cpu 2\.0%/, '1.3 s of CPU over 65 s of uptime');
  m.r.unmount();
});

test.serial('busy: a tree of 20 processes at 80×24, scrolled to keep the selection in view', async (t) => {
  const m = mount();
  m.push(busy());
  let f = await m.until((x) => /distro bookworm: 20 processes/.test(x), 'the process pane');
  t.true(fits(f, 80, 24), f);
  t.regex(f, /distro bookworm: 20 processes/);
  t.regex(f, /^ +PID +PPID S +%CPU +RSS THR +TIME\+ COMMAND/m);
  t.regex(f, /^> +2 +1 S .*\/bin\/sh -c make -j4/m);
  t.regex(f, /^ +4 +3 R .* {3}└─ cc -c file0\.c/m, 'two levels down');
  const shown = lines(f).filter((l) => /^[> ] +\d+ /.test(l)).length;
  t.is(shown, 18, '24 rows: header 2, tabs 1, column titles 1, footer 1, one free line');
  t.notRegex(f, /^ +21 /m);
  for (let i = 0; i < 19; i++) m.r.stdin.write(DOWN);
  f = await m.until((x) => /^> +21 +2 /m.test(x), 'pid 21 selected');
  t.notRegex(f, /^ +2 +1 S/m, 'the top scrolled away');
  m.r.stdin.write(UP);
  f = await m.until((x) => /^> +20 /m.test(x), 'pid 20 selected');
  t.regex(f, /^ +21 /m);
  m.r.unmount();
});

test.serial('sort: s orders by %CPU, then by memory, then back to the tree', async (t) => {
  const m = mount();
  const ps = busyTree();
  m.push(busy({ at: T0 }));
  m.push(busy({ at: T0 + 1000, distros: [distro(ps.map((p) => (p.pid === 13 ? { ...p, cpuMs: 400 } : p.pid === 16 ? { ...p, rssBytes: 50 << 20 } : p)))] }));
  await m.until((x) => /^> +2 /m.test(x), 'rows');
  m.r.stdin.write('s');
  let f = await m.until((x) => /sort: cpu/.test(x), 'sort: cpu');
  t.regex(lines(f).filter((l) => /^[> ] +\d+ /.test(l))[0], /^[> ] +13 +12 R +40\.0 .* cc -c file3\.c/);
  m.r.stdin.write('s');
  f = await m.until((x) => /sort: mem/.test(x), 'sort: mem');
  t.regex(lines(f).filter((l) => /^[> ] +\d+ /.test(l))[0], /^[> ] +16 .* 50\.0M /);
  m.r.stdin.write('s');
  await m.until((x) => /sort: tree/.test(x), 'sort: tree');
  t.pass();
  m.r.unmount();
});

test.serial('unimplemented syscalls: counted on the tab, listed first in the syscall pane; top syscalls of the interval', async (t) => {
  const m = mount();
  const unimplemented = [{ nr: 169, name: 'reboot', count: 3, lastPid: 7 }, { nr: 134, name: 'uselib', count: 1, lastPid: 9 }];
  m.push(busy({ unimplemented }));
  m.push(busy({ at: T0 + 500, unimplemented, syscalls: [{ nr: 0, name: 'read', calls: 530, errors: 0, ms: 3.25 }, { nr: 61, name: 'wait4', calls: 41, errors: 0, ms: 4.5 }] }));
  let f = await m.until((x) => /Syscalls \(2 unimplemented\)/.test(x), 'the tab count');
  m.r.stdin.write(TAB);
  f = await m.until((x) => /Unimplemented syscalls hit/.test(x), 'the syscall pane');
  t.true(fits(f, 80, 24), f);
  t.regex(f, /^reboot +169 +3 +7$/m);
  t.regex(f, /^uselib +134 +1 +9$/m);
  t.regex(f, /Top by calls \(last 0\.5 s\) +Top by time \(last 0\.5 s\)/);
  t.regex(f, /^read +30 +0 +wait4 +3\.00$/m, 'by calls: read 30; by time: wait4 3 ms');
  t.regex(f, /^wait4 +1 +0 +read +0\.25$/m);
  t.notRegex(f, /PPID/, 'below 40 rows the focused pane has the body alone');
  m.r.stdin.write(TAB);
  f = await m.until((x) => /Sessions: 1/.test(x), 'the session pane');
  t.regex(f, /^ +1 +2 +40001 yes 5\.5 s +bookworm +\/bin\/sh -c make -j4$/m);
  m.r.unmount();
});

test.serial('colour: the unimplemented count is red when colour is on', async (t) => {
  chalk.level = 1;
  try {
    const m = mount();
    m.push(busy({ unimplemented: [{ nr: 169, name: 'reboot', count: 3, lastPid: 7 }] }));
    const f = await m.until((x) => /unimplemented/.test(x), 'the tab count');
    t.true(f.includes('\x1b[31m (1 unimplemented)'), JSON.stringify(f));
    m.r.unmount();
  } finally { chalk.level = 0; }
});

test.serial('a narrow terminal: 60 columns drop PPID, threads and time, every line fits; a resize adapts', async (t) => {
  const m = mount({ cols: 60, rows: 24 });
  m.push(busy({ unimplemented: [{ nr: 169, name: 'reboot', count: 3, lastPid: 7 }] }));
  let f = await m.until((x) => /^> +2 /m.test(x), 'rows');
  t.true(fits(f, 60, 24), f);
  t.regex(f, /^ +PID S +%CPU +RSS COMMAND/m);
  t.notRegex(f, /PPID|TIME\+/);
  t.regex(f, /Syscalls !1/);
  t.regex(f, /^> +2 S .*\/bin\/sh -c make -j4/m);
  m.resize(100, 45);
  f = await m.until((x) => /PPID/.test(x), 'the wide columns');
  t.true(fits(f, 100, 45), f);
  t.regex(f, /Top by calls/, 'from 40 rows all panes are stacked');
  t.regex(f, /Sessions: 1/);
  m.resize(80, 12);
  f = await m.until((x) => !/Sessions: 1/.test(x), 'one pane again');
  t.true(fits(f, 80, 12), f);
  m.r.unmount();
});

test.serial('kill: k asks to confirm, n cancels, y sends SIGTERM to the selected process; K sends SIGKILL; refusals are shown', async (t) => {
  const m = mount({ cols: 80, rows: 24 }, async (c) => { if (c.pid === 6) throw new Error('kill: no process 6 in bookworm'); });
  m.push(busy());
  await m.until((x) => /^> +2 /m.test(x), 'the first row selected');
  m.r.stdin.write(DOWN);
  await m.until((x) => /^> +3 /m.test(x), 'pid 3 selected');
  m.r.stdin.write('k');
  let f = await m.until((x) => /\? \[y\/n\]/.test(x), 'the confirmation');
  t.regex(f, /Send SIGTERM to pid 3 \(make worker0\)\? \[y\/n\]/);
  m.r.stdin.write('n');
  await m.until((x) => /q quit/.test(x), 'the keys line again');
  t.deepEqual(m.kills, []);
  m.r.stdin.write('k');
  await m.until((x) => /Send SIGTERM/.test(x), 'the confirmation');
  m.r.stdin.write('y');
  f = await m.until((x) => /SIGTERM sent to pid 3/.test(x), 'the outcome');
  t.deepEqual(m.kills, [{ distro: 'bookworm', pid: 3, command: 'make worker0', signal: 15 }]);
  t.true(selectedLine(f).startsWith('> ') && /^> +3 /.test(selectedLine(f)));
  for (let i = 0; i < 3; i++) m.r.stdin.write(DOWN);
  await m.until((x) => /^> +6 /m.test(x), 'pid 6 selected');
  m.r.stdin.write('K');
  await m.until((x) => /Send SIGKILL to pid 6/.test(x), 'the SIGKILL confirmation');
  m.r.stdin.write('y');
  await m.until((x) => /kill: no process 6 in bookworm/.test(x), 'the refusal');
  t.is(m.kills.at(-1)!.signal, 9);
  m.r.unmount();
});

for (const [name, key] of [['q', 'q'], ['Ctrl-C', '\x03']] as const) {
  test.serial(`${name} quits and leaves raw mode`, async (t) => {
    const m = mount();
    m.push(busy());
    await m.until((x) => /^> +2 /m.test(x), 'rows');
    const modes: boolean[] = [];
    (m.r.stdin as unknown as { setRawMode(v: boolean): void }).setRawMode = (v) => { modes.push(v); };
    m.r.stdin.write(key);
    const end = Date.now() + 10_000;
    while (!modes.includes(false) && Date.now() < end) await new Promise((res) => setTimeout(res, 5));
    t.deepEqual(modes, [false], 'the terminal is given back its mode');
    const frames = m.r.frames.length;
    m.r.stdin.write(TAB);
    await new Promise((res) => setTimeout(res, 50));
    t.is(m.r.frames.length, frames, 'nothing renders after quitting');
  });
}

test.serial('an orphan (its parent ended) is a root of the tree', async (t) => {
  const m = mount();
  m.push(snap({ distros: [distro([proc(2, 1, ['sh']), proc(7, 5, ['orphan'])])] }));
  const f = await m.until((x) => /orphan/.test(x), 'rows');
  t.regex(f, /^ +7 +5 S .* orphan/m);
  m.r.unmount();
});

test.serial('interop: host programs started from Linux are listed under the sessions with their host pid', async (t) => {
  const m = mount();
  const tr = proc(5, 2, ['/mnt/host/usr/bin/tr', 'a-z', 'A-Z'], { hostPid: 31337, startedAt: T0 - 2000 });
  m.push(snap({ distros: [distro([proc(2, 1, ['/bin/sh', '-c', 'echo x | tr']), tr])], sessions: [session(1, 2, ['/bin/sh'])] }));
  await m.until((x) => /Processes/.test(x), 'the first frame');
  m.r.stdin.write(TAB);
  m.r.stdin.write(TAB);
  const f = await m.until((x) => /Host programs: 1/.test(x), 'the interop lines');
  t.true(fits(f, 80, 24), f);
  t.regex(f, /^ +PID +HOST PID +SINCE +DISTRO +COMMAND$/m);
  t.regex(f, /^ +5 +31337 2\.0 s +bookworm +\/mnt\/host\/usr\/bin\/tr a-z A-Z$/m);
  m.r.unmount();
});
