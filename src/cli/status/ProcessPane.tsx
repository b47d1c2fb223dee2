// The process pane: column titles, then a window of the process rows that keeps the selection in view;
// the selected row is inverted (and marked, for terminals without colour), running ones green, zombies red.
import { Box, Text } from 'ink';
import { ProcessColumns } from './process-columns.js';
import type { ProcRow } from './rows.js';
import { keepInView } from './state.js';

interface Props { rows: ProcRow[]; selected: string | null; offset: number; height: number; width: number; focused: boolean; }

const STATE_COLOR: Record<string, string> = { R: 'green', Z: 'red', T: 'yellow' };

/** Lines of process rows the pane shows (its first line holds the column titles). */
export const processWindow = (height: number): number => Math.max(1, height - 1);

export function ProcessPane({ rows, selected, offset, height, width, focused }: Props) {
  const cols = new ProcessColumns(width, new Set(rows.map((r) => r.distro)).size > 1);
  const win = processWindow(height);
  const start = keepInView(offset, rows.findIndex((r) => r.key === selected), win, rows.length);
  return (
    <Box flexDirection="column" height={height}>
      <Text color="cyan" bold>{cols.header()}</Text>
      {rows.length ? null : <Text dimColor>no Linux process is running</Text>}
      {rows.slice(start, start + win).map((r) => (
        <Text key={r.key} inverse={focused && r.key === selected} color={STATE_COLOR[r.state]}>{cols.line(r, r.key === selected)}</Text>
      ))}
    </Box>
  );
}
