// The dashboard's first two lines: the instance's state, version, pid and uptime; the daemon's own CPU and
// memory, its clients, and the distros running with their process counts.
import { Box, Text } from 'ink';
import type { Snapshot } from '../../interop/protocol/status.js';
import { dur } from '../status-view.js';
import { daemonCpuPct } from './deltas.js';
import { bytes, distroLabel, fit, pct } from './format.js';

interface Props { cur: Snapshot | null; prev: Snapshot | null; loaded: boolean; width: number; }

function distros(s: Snapshot): string {
  const n = (k: number): string => `${k} process${k === 1 ? '' : 'es'}`;
  if (!s.distros.length) return 'no distro running';
  if (s.distros.length === 1) return `distro ${distroLabel(s.distros[0].name)}: ${n(s.distros[0].processes.length)}`;
  return `distros ${s.distros.map((d) => `${distroLabel(d.name)} (${d.processes.length})`).join(', ')}`;
}

export function Header({ cur, prev, loaded, width }: Props) {
  if (!loaded) return <Box flexDirection="column"><Text>{fit('pbash instance: connecting…', width)}</Text><Text> </Text></Box>;
  if (!cur) {
    return (
      <Box flexDirection="column">
        <Text>{'pbash instance: '}<Text color="yellow" bold>stopped</Text></Text>
        <Text dimColor>{fit('no instance is running; the next pbash command starts one, and this view follows it', width)}</Text>
      </Box>
    );
  }
  const d = cur.daemon;
  const rest = fit(`  pbash ${d.version}  pid ${d.pid}  up ${dur(d.uptimeMs)}`, Math.max(0, width - 24));
  return (
    <Box flexDirection="column">
      <Text>{'pbash instance: '}<Text color="green" bold>running</Text>{rest}</Text>
      <Text>{fit(`daemon cpu ${pct(daemonCpuPct(cur, prev))}%  rss ${bytes(d.rssBytes)}  clients ${d.clients}  ${distros(cur)}`, width)}</Text>
    </Box>
  );
}
