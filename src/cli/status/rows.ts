// The process pane's rows from two consecutive snapshots: every process of every running distro, as a
// tree (children under their parent, by pid) or flat and sorted by %CPU or memory, with %CPU measured over
// the interval between the snapshots. Pure: the dashboard's reducer and its tests use it alike.
import type { ProcessInfo, Snapshot } from '../../interop/protocol/status.js';

export const SORTS = ['tree', 'cpu', 'mem'] as const;
export type SortKey = typeof SORTS[number];

export interface ProcRow {
  /** distro and pid: what a selection follows from one snapshot to the next. */
  key: string;
  distro: string;
  pid: number;
  ppid: number;
  /** Depth in the tree (0 in the flat sorts). */
  depth: number;
  state: string;
  cpuPct: number;
  cpuMs: number;
  rssBytes: number;
  threads: number;
  command: string;
}

export const rowKey = (distro: string, pid: number): string => `${distro}\0${pid}`;

const commandOf = (p: ProcessInfo): string => (p.cmdline.length ? p.cmdline.join(' ') : `[${p.comm}]`);

/**
 * %CPU over the last interval: the CPU time it gained since the previous snapshot over the time between
 * them; a process new since then (or a reused pid: another start time) over its own life so far.
 */
function cpuPct(p: ProcessInfo, at: number, before: ProcessInfo | undefined, beforeAt: number): number {
  const same = before && before.startedAt === p.startedAt;
  const cpu = same ? p.cpuMs - before.cpuMs : p.cpuMs;
  const wall = same ? at - beforeAt : at - p.startedAt;
  return wall > 0 ? Math.max(0, (cpu / wall) * 100) : 0;
}

/** Tree order: roots (parent not listed) by pid, each followed by its children, depth first. */
function treeOrder(ps: ProcessInfo[]): Array<{ p: ProcessInfo; depth: number }> {
  const byPid = new Map(ps.map((p) => [p.pid, p]));
  const children = new Map<number, ProcessInfo[]>();
  const roots: ProcessInfo[] = [];
  for (const p of [...ps].sort((a, b) => a.pid - b.pid)) {
    if (p.ppid !== p.pid && byPid.has(p.ppid)) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
    else roots.push(p);
  }
  const out: Array<{ p: ProcessInfo; depth: number }> = [];
  const visit = (p: ProcessInfo, depth: number): void => {
    out.push({ p, depth });
    for (const c of children.get(p.pid) ?? []) visit(c, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  return out;
}

export function processRows(cur: Snapshot | null, prev: Snapshot | null, sort: SortKey): ProcRow[] {
  if (!cur) return [];
  const rows: ProcRow[] = [];
  for (const d of cur.distros) {
    const before = new Map(prev?.distros.find((x) => x.name === d.name)?.processes.map((p) => [p.pid, p]));
    const ordered = sort === 'tree' ? treeOrder(d.processes) : d.processes.map((p) => ({ p, depth: 0 }));
    for (const { p, depth } of ordered) {
      rows.push({
        key: rowKey(d.name, p.pid), distro: d.name, pid: p.pid, ppid: p.ppid, depth, state: p.state,
        cpuPct: cpuPct(p, cur.at, before.get(p.pid), prev?.at ?? 0), cpuMs: p.cpuMs, rssBytes: p.rssBytes,
        threads: p.threads.length, command: commandOf(p),
      });
    }
  }
  if (sort === 'cpu') rows.sort((a, b) => b.cpuPct - a.cpuPct || b.cpuMs - a.cpuMs || a.pid - b.pid);
  if (sort === 'mem') rows.sort((a, b) => b.rssBytes - a.rssBytes || a.pid - b.pid);
  return rows;
}
