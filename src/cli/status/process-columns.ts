// The process pane's columns for a terminal width: PID, state, %CPU and memory always; PPID, threads and
// CPU time from 72 columns; the distro when more than one runs and there is room; the command takes the rest.
import { branch, bytes, cpuTime, distroLabel, fit, pct } from './format.js';
import type { ProcRow } from './rows.js';

interface Column { title: string; width: number; right: boolean; cell(r: ProcRow): string; }

const PID: Column = { title: 'PID', width: 6, right: true, cell: (r) => String(r.pid) };
const PPID: Column = { title: 'PPID', width: 6, right: true, cell: (r) => String(r.ppid) };
const STATE: Column = { title: 'S', width: 1, right: false, cell: (r) => r.state };
const CPU: Column = { title: '%CPU', width: 5, right: true, cell: (r) => pct(r.cpuPct) };
const RSS: Column = { title: 'RSS', width: 6, right: true, cell: (r) => bytes(r.rssBytes) };
const THREADS: Column = { title: 'THR', width: 3, right: true, cell: (r) => String(r.threads) };
const TIME: Column = { title: 'TIME+', width: 8, right: true, cell: (r) => cpuTime(r.cpuMs) };
const DISTRO: Column = { title: 'DISTRO', width: 12, right: false, cell: (r) => distroLabel(r.distro) };

/** The selection marker's column, then one space between columns. */
const MARK = 2, GAP = 1;

export class ProcessColumns {
  private readonly cols: Column[];
  private readonly commandWidth: number;

  constructor(width: number, multiDistro: boolean) {
    const cols = width >= 72 ? [PID, PPID, STATE, CPU, RSS, THREADS, TIME] : [PID, STATE, CPU, RSS];
    if (multiDistro && width >= 100) cols.push(DISTRO);
    this.cols = cols;
    this.commandWidth = Math.max(1, width - MARK - cols.reduce((n, c) => n + c.width + GAP, 0));
  }

  header(): string {
    return ' '.repeat(MARK) + this.cols.map((c) => fit(c.title, c.width, c.right) + ' ').join('') + fit('COMMAND', this.commandWidth);
  }

  line(r: ProcRow, selected: boolean): string {
    return (selected ? '> ' : '  ') + this.cols.map((c) => fit(c.cell(r), c.width, c.right) + ' ').join('') +
      fit(branch(r.depth) + r.command, this.commandWidth);
  }
}
