// The pane names, the focused one inverted; the syscall tab carries the count of unimplemented syscalls hit
// (in red: the first thing to look at when a program fails), and the process sort is on the right.
import { Box, Text } from 'ink';
import type { Snapshot } from '../../interop/protocol/status.js';
import type { SortKey } from './rows.js';
import type { Pane } from './state.js';

interface Props { pane: Pane; sort: SortKey; cur: Snapshot | null; width: number; }

const TITLES: Record<Pane, string> = { processes: 'Processes', syscalls: 'Syscalls', sessions: 'Sessions' };

export function TabBar({ pane, sort, cur, width }: Props) {
  const missing = cur?.unimplemented.length ?? 0;
  const tab = (p: Pane) => (
    <Text key={p} inverse={p === pane} bold={p === pane}>
      {` ${TITLES[p]}`}
      {p === 'syscalls' && missing > 0 ? <Text color="red" bold>{width >= 70 ? ` (${missing} unimplemented)` : ` !${missing}`}</Text> : null}
      {' '}
    </Text>
  );
  return (
    <Box width={width} height={1} overflow="hidden">
      {tab('processes')}<Text>│</Text>{tab('syscalls')}<Text>│</Text>{tab('sessions')}
      <Box flexGrow={1} justifyContent="flex-end"><Text dimColor>{`sort: ${sort}`}</Text></Box>
    </Box>
  );
}
