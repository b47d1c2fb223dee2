// A window of a pane's lines (the syscall and session panes), each line styled by its tone.
import { Box, Text } from 'ink';
import type { Line, Tone } from './lines.js';

interface Props { lines: Line[]; offset: number; height: number; }

const STYLE: Record<Tone, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  title: { bold: true }, header: { color: 'cyan', bold: true }, warn: { color: 'red', bold: true }, plain: {}, dim: { dimColor: true },
};

export function LinesPane({ lines, offset, height }: Props) {
  const start = Math.max(0, Math.min(offset, lines.length - height));
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(start, start + height).map((l, i) => <Text key={start + i} {...STYLE[l.tone]}>{l.text || ' '}</Text>)}
    </Box>
  );
}
