// How the screen is shared: header (2 lines), tab bar, the panes, the footer line, and one line left free
// (ink redraws a frame as tall as the terminal from a cleared screen each time: it would flicker). Below 40
// rows the focused pane has the body to itself; from 40 rows all three are stacked. Pure.
import { PANES, type Pane } from './state.js';

const CHROME = 5;
export const STACK_ROWS = 40;

/** Lines of each pane (0: not shown). */
export function paneHeights(rows: number, focused: Pane): Record<Pane, number> {
  const body = Math.max(2, rows - CHROME);
  if (rows < STACK_ROWS) return Object.fromEntries(PANES.map((p) => [p, p === focused ? body : 0])) as Record<Pane, number>;
  const processes = Math.floor(body / 2);
  const syscalls = Math.floor((body - processes) / 2);
  return { processes, syscalls, sessions: body - processes - syscalls };
}
