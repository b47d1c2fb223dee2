// The dashboard's state and its reducer: the last two snapshots, the focused pane, the sort, the selected
// process (followed by distro and pid across snapshots), scroll positions, and the kill confirmation.
// Pure: key handling and rendering are elsewhere; sending the signal is the caller's effect.
import type { Snapshot } from '../../interop/protocol/status.js';
import { SORTS, processRows, type ProcRow, type SortKey } from './rows.js';

export const PANES = ['processes', 'syscalls', 'sessions'] as const;
export type Pane = typeof PANES[number];
export const SIGTERM = 15, SIGKILL = 9;
export type KillSignal = typeof SIGTERM | typeof SIGKILL;
export const signalName = (sig: KillSignal): string => (sig === SIGKILL ? 'SIGKILL' : 'SIGTERM');

export interface Confirm { distro: string; pid: number; command: string; signal: KillSignal; }
export interface Message { text: string; error: boolean; }

export interface DashState {
  cur: Snapshot | null;
  prev: Snapshot | null;
  /** A first answer arrived (a snapshot, or that no instance runs). */
  loaded: boolean;
  pane: Pane;
  sort: SortKey;
  /** The selected process's row key (rows.ts), null when there is none. */
  selected: string | null;
  /** First visible line of each pane. */
  offsets: Record<Pane, number>;
  confirm: Confirm | null;
  /** A confirmed signal the dashboard is to send (its effect), until its outcome is a message. */
  pending: Confirm | null;
  message: Message | null;
  quit: boolean;
}

export type Action =
  | { type: 'snapshot'; snapshot: Snapshot | null }
  /** ↑/↓ by `by` lines in the focused pane, `height` lines visible; `limit`: the last offset of a list pane. */
  | { type: 'move'; by: number; height: number; limit: number }
  | { type: 'tab' }
  | { type: 'sort' }
  | { type: 'kill'; signal: KillSignal }
  | { type: 'cancel' }
  | { type: 'send' }
  | { type: 'message'; message: Message }
  | { type: 'quit' };

export const initialState: DashState = {
  cur: null, prev: null, loaded: false, pane: 'processes', sort: 'tree', selected: null,
  offsets: { processes: 0, syscalls: 0, sessions: 0 }, confirm: null, pending: null, message: null, quit: false,
};

/** The offset that keeps line `index` within a window of `height` lines over `count` lines. */
export function keepInView(offset: number, index: number, height: number, count: number): number {
  if (height <= 0) return 0;
  let o = Math.min(offset, Math.max(0, count - height));
  if (index >= 0 && index < o) o = index;
  if (index >= o + height) o = index - height + 1;
  return Math.max(0, o);
}

export const rowsOf = (s: DashState): ProcRow[] => processRows(s.cur, s.prev, s.sort);

/** The selected row's index in `rows`, -1 when none. */
export const selectedIndex = (s: DashState, rows: ProcRow[]): number => rows.findIndex((r) => r.key === s.selected);

function onSnapshot(s: DashState, snapshot: Snapshot | null): DashState {
  const before = rowsOf(s);
  const oldIndex = selectedIndex(s, before);
  const next: DashState = { ...s, loaded: true, prev: snapshot ? s.cur : null, cur: snapshot };
  const rows = rowsOf(next);
  // a selected process that ended hands the selection to the row now at its place
  const keep = rows.some((r) => r.key === s.selected);
  const selected = keep ? s.selected : rows[Math.min(Math.max(oldIndex, 0), rows.length - 1)]?.key ?? null;
  let { confirm, message } = s;
  if (confirm && !rows.some((r) => r.distro === confirm!.distro && r.pid === confirm!.pid)) {
    message = { text: `pid ${confirm.pid} ended before it was signalled`, error: false };
    confirm = null;
  }
  return { ...next, selected, confirm, message };
}

function move(s: DashState, by: number, height: number, limit: number): DashState {
  if (s.pane !== 'processes') {
    const o = Math.max(0, Math.min(limit, s.offsets[s.pane] + by));
    return { ...s, offsets: { ...s.offsets, [s.pane]: o } };
  }
  const rows = rowsOf(s);
  if (!rows.length) return s;
  const from = selectedIndex(s, rows);
  const to = Math.max(0, Math.min(rows.length - 1, (from < 0 ? 0 : from) + by));
  const offset = keepInView(s.offsets.processes, to, height, rows.length);
  return { ...s, selected: rows[to].key, offsets: { ...s.offsets, processes: offset } };
}

function askKill(s: DashState, signal: KillSignal): DashState {
  if (s.pane !== 'processes') return { ...s, message: { text: 'select a process in the Processes pane first (tab)', error: true } };
  const row = rowsOf(s).find((r) => r.key === s.selected);
  if (!row) return { ...s, message: { text: 'no process selected', error: true } };
  return { ...s, confirm: { distro: row.distro, pid: row.pid, command: row.command, signal }, message: null };
}

export function reduce(s: DashState, a: Action): DashState {
  switch (a.type) {
    case 'snapshot': return onSnapshot(s, a.snapshot);
    case 'move': return move({ ...s, message: null }, a.by, a.height, a.limit);
    case 'tab': return { ...s, message: null, pane: PANES[(PANES.indexOf(s.pane) + 1) % PANES.length] };
    case 'sort': {
      const sort = SORTS[(SORTS.indexOf(s.sort) + 1) % SORTS.length];
      return { ...s, message: null, sort, offsets: { ...s.offsets, processes: 0 } };
    }
    case 'kill': return askKill(s, a.signal);
    case 'cancel': return { ...s, confirm: null };
    case 'send': {
      const c = s.confirm;
      if (!c) return s;
      return { ...s, confirm: null, pending: c, message: { text: `sending ${signalName(c.signal)} to pid ${c.pid}…`, error: false } };
    }
    case 'message': return { ...s, pending: null, message: a.message };
    case 'quit': return { ...s, quit: true };
  }
}
