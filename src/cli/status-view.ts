// Plain-text views of `pbash status` and `pbash list`: one snapshot in aligned columns, no escape codes
// (what a pipe or a script gets; the live dashboard is src/cli/status/).
import type { Snapshot } from '../interop/protocol/status.js';

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
export const dur = (ms: number): string => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s`
  : ms < 3_600_000 ? `${Math.floor(ms / 60_000)} min ${Math.floor(ms / 1000) % 60} s`
    : `${Math.floor(ms / 3_600_000)} h ${Math.floor(ms / 60_000) % 60} min`);

/** Rows as columns padded to their widest cell; `right` marks the numeric (right-aligned) columns. */
export function columns(rows: string[][], right: ReadonlySet<number>): string[] {
  const w: number[] = [];
  for (const r of rows) r.forEach((c, i) => { w[i] = Math.max(w[i] ?? 0, c.length); });
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 && !right.has(i) ? c : right.has(i) ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ').trimEnd());
}

/** The plain snapshot; null: no instance. */
export function statusLines(s: Snapshot | null): string[] {
  if (!s) return ['instance: not running'];
  const d = s.daemon;
  const out = [`instance: running, pid ${d.pid}, pbash ${d.version}, up ${dur(d.uptimeMs)}, cpu ${dur(d.cpuMs)}, ` +
    `memory ${mib(d.rssBytes)}, idle grace ${dur(d.idleMs)}`];
  out.push(`clients: ${d.clients}, sessions: ${s.sessions.length}`);
  if (s.sessions.length) {
    out.push('', ...columns([['SESSION', 'DISTRO', 'PID', 'CLIENT', 'TTY', 'SINCE', 'COMMAND'], ...s.sessions.map((x) => [
      String(x.id), x.distro, String(x.pid ?? '-'), String(x.clientPid ?? '-'), x.terminal ? 'yes' : 'no',
      dur(s.at - x.since), x.argv.join(' ')])], new Set([0, 2, 3])));
  }
  for (const ds of s.distros) {
    const n = ds.processes.length;
    out.push('', `distro ${ds.name} (${ds.root}): ${n} process${n === 1 ? '' : 'es'}, ${ds.mounts.length} mounts`);
    if (!n) continue;
    out.push(...columns([['PID', 'PPID', 'PGID', 'SID', 'UID', 'S', 'THR', 'CPU', 'RSS', 'FDS', 'SYSCALLS', 'COMMAND'],
      ...ds.processes.map((p) => [String(p.pid), String(p.ppid), String(p.pgid), String(p.sid), String(p.uid), p.state,
        String(p.threads.length), dur(p.cpuMs), mib(p.rssBytes), String(p.fds), String(p.syscalls),
        (p.cmdline.length ? p.cmdline.join(' ') : p.comm)])], new Set([0, 1, 2, 3, 4, 6, 7, 8, 9, 10])));
  }
  const top = [...s.syscalls].sort((a, b) => b.calls - a.calls).slice(0, 10);
  if (top.length) {
    out.push('', 'syscalls (top 10 by calls since the instance started):');
    out.push(...columns([['NR', 'NAME', 'CALLS', 'ERRORS', 'TIME ms'],
      ...top.map((c) => [String(c.nr), c.name, String(c.calls), String(c.errors), c.ms.toFixed(1)])], new Set([0, 2, 3, 4])));
  }
  if (s.unimplemented.length) {
    out.push('', 'unimplemented syscalls hit:');
    out.push(...columns([['NR', 'NAME', 'COUNT', 'LAST PID'],
      ...s.unimplemented.map((u) => [String(u.nr), u.name, String(u.count), String(u.lastPid)])], new Set([0, 2, 3])));
  }
  return out;
}

export function printStatus(s: Snapshot | null): void {
  process.stdout.write(statusLines(s).join('\n') + '\n');
}

export function printList(distros: Array<{ name: string; root: string; default: boolean; running: boolean }>, verbose: boolean): void {
  if (!distros.length) { process.stdout.write('no distributions (pbash install, or run one with --root DIR)\n'); return; }
  const lines = distros.map((d) => {
    const mark = d.default ? '* ' : '  ';
    return verbose ? `${mark}${d.name}\t${d.running ? 'Running' : 'Stopped'}\t${d.root}` : `${mark}${d.name}`;
  });
  process.stdout.write(lines.join('\n') + '\n');
}
