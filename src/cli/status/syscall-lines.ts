// The syscall pane's lines: the unimplemented syscalls hit (first, highlighted: what pbash lacks), then the
// top syscalls by calls and by time during the last interval, side by side. Pure.
import type { Snapshot } from '../../interop/protocol/status.js';
import { dur } from '../status-view.js';
import { syscallWindow, type SyscallDelta } from './deltas.js';
import { fit } from './format.js';
import type { Line } from './lines.js';

const byCountCell = (d: SyscallDelta | undefined, w: number): string =>
  (d ? fit(d.name, w - 16) + fit(String(d.calls), 8, true) + fit(String(d.errors), 8, true) : ' '.repeat(w));
const byTimeCell = (d: SyscallDelta | undefined, w: number): string =>
  (d ? fit(d.name, w - 10) + fit(d.ms.toFixed(2), 10, true) : '');

export function syscallLines(cur: Snapshot | null, prev: Snapshot | null, width: number): Line[] {
  if (!cur) return [];
  const out: Line[] = [];
  if (cur.unimplemented.length) {
    const w = width - 26;
    out.push({ text: fit(`Unimplemented syscalls hit (ENOSYS): ${cur.unimplemented.length}`, width), tone: 'title' });
    out.push({ text: fit('NAME', w) + fit('NR', 6, true) + fit('COUNT', 10, true) + fit('LAST PID', 10, true), tone: 'header' });
    for (const u of cur.unimplemented) {
      out.push({ text: fit(u.name, w) + fit(String(u.nr), 6, true) + fit(String(u.count), 10, true) + fit(String(u.lastPid), 10, true), tone: 'warn' });
    }
    out.push({ text: '', tone: 'plain' });
  }
  const win = syscallWindow(cur, prev, Number.MAX_SAFE_INTEGER);
  const half = Math.floor((width - 2) / 2);
  const when = win.intervalMs === null ? 'since start' : `last ${dur(win.intervalMs)}`;
  out.push({ text: fit(fit(`Top by calls (${when})`, half) + '  ' + `Top by time (${when})`, width), tone: 'title' });
  if (!win.byCount.length) return [...out, { text: fit('no syscalls in this interval', width), tone: 'dim' }];
  out.push({ text: fit(fit('NAME', half - 16) + fit('CALLS', 8, true) + fit('ERRORS', 8, true) + '  ' + fit('NAME', half - 10) + fit('ms', 10, true), width), tone: 'header' });
  for (let i = 0; i < win.byCount.length; i++) {
    out.push({ text: fit(byCountCell(win.byCount[i], half) + '  ' + byTimeCell(win.byTime[i], half), width), tone: 'plain' });
  }
  return out;
}
