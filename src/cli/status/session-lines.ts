// The sessions pane's lines: each client running a Linux command (the pbash client's host pid, whether it
// runs on a terminal, how long, which distro, what), then the host programs Linux processes started
// (interop proxies: Linux pid, host pid, distro, command). Pure.
import type { Snapshot } from '../../interop/protocol/status.js';
import { dur } from '../status-view.js';
import { distroLabel, fit } from './format.js';
import type { Line } from './lines.js';

export function sessionLines(cur: Snapshot | null, width: number): Line[] {
  if (!cur) return [];
  const wide = width >= 72;
  const fixed = 36 + (wide ? 13 : 0); // the cells before COMMAND, with their separating spaces
  const cells = (id: string, pid: string, client: string, tty: string, since: string, distro: string, cmd: string): string =>
    fit(id, 4, true) + ' ' + fit(pid, 7, true) + ' ' + fit(client, 7, true) + ' ' + fit(tty, 3) + ' ' + fit(since, 10) + ' ' +
    (wide ? fit(distro, 12) + ' ' : '') + fit(cmd, Math.max(1, width - fixed));
  const out: Line[] = [{ text: fit(`Sessions: ${cur.sessions.length} (clients connected: ${cur.daemon.clients})`, width), tone: 'title' }];
  if (!cur.sessions.length) out.push({ text: fit('no pbash client is running a Linux command', width), tone: 'dim' });
  else out.push({ text: cells('ID', 'PID', 'CLIENT', 'TTY', 'SINCE', 'DISTRO', 'COMMAND'), tone: 'header' });
  for (const s of cur.sessions) {
    out.push({
      text: cells(String(s.id), String(s.pid ?? '-'), String(s.clientPid ?? '-'), s.terminal ? 'yes' : 'no',
        dur(cur.at - s.since), distroLabel(s.distro), s.argv.join(' ')),
      tone: 'plain',
    });
  }
  return [...out, ...interopLines(cur, width)];
}

/** Host programs run from Linux: each is a Linux process (its proxy) with the host program's pid. */
function interopLines(cur: Snapshot, width: number): Line[] {
  const proxies = cur.distros.flatMap((d) => d.processes.filter((p) => p.hostPid !== undefined).map((p) => ({ d, p })));
  if (!proxies.length) return [];
  const cells = (pid: string, host: string, since: string, distro: string, cmd: string): string =>
    fit(pid, 7, true) + ' ' + fit(host, 8, true) + ' ' + fit(since, 10) + ' ' + fit(distro, 12) + ' ' + fit(cmd, Math.max(1, width - 41));
  return [
    { text: fit(`Host programs: ${proxies.length}`, width), tone: 'title' },
    { text: cells('PID', 'HOST PID', 'SINCE', 'DISTRO', 'COMMAND'), tone: 'header' },
    ...proxies.map(({ d, p }) => ({
      text: cells(String(p.pid), String(p.hostPid), dur(cur.at - p.startedAt), distroLabel(d.name), p.cmdline.join(' ')),
      tone: 'plain' as const,
    })),
  ];
}
