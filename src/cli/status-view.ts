// Plain-text views of `pbash status` and `pbash list` (one snapshot; the live ink dashboard comes later).
import type { Reply } from '../interop/protocol/messages.js';

interface ProcRow { pid: number; ppid: number; pgid: number; comm: string; threads: number; }
interface DistroRow { name: string; root: string; processes: ProcRow[]; }

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
const dur = (ms: number): string => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.floor(ms / 1000) % 60} s`);

export function printStatus(r: Reply | null): void {
  const out: string[] = [];
  if (!r) {
    out.push('instance: not running');
  } else {
    out.push(`instance: running, pid ${String(r.pid)}, pbash ${String(r.version)}, up ${dur(r.uptimeMs as number)}, ` +
      `memory ${mib(r.rssBytes as number)}, idle grace ${dur(r.idleMs as number)}`);
    out.push(`clients: ${String(r.clients)}, sessions: ${(r.sessions as unknown[]).length}`);
    for (const d of r.distros as DistroRow[]) {
      out.push(`distro ${d.name} (${d.root}): ${d.processes.length} process${d.processes.length === 1 ? '' : 'es'}`);
      if (d.processes.length) out.push('    PID   PPID   PGID THR COMMAND');
      for (const p of d.processes) {
        out.push(`${String(p.pid).padStart(7)}${String(p.ppid).padStart(7)}${String(p.pgid).padStart(7)}${String(p.threads).padStart(4)} ${p.comm}`);
      }
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

export function printList(distros: Array<{ name: string; root: string; default: boolean; running: boolean }>, verbose: boolean): void {
  if (!distros.length) { process.stdout.write('no distributions (pbash install, or run one with --root DIR)\n'); return; }
  const lines = distros.map((d) => {
    const mark = d.default ? '* ' : '  ';
    return verbose ? `${mark}${d.name}\t${d.running ? 'Running' : 'Stopped'}\t${d.root}` : `${mark}${d.name}`;
  });
  process.stdout.write(lines.join('\n') + '\n');
}
