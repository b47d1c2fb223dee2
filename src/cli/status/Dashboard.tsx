// The live dashboard: header, tab bar, the panes (the focused one alone below 40 rows, all three stacked
// from 40), footer. Snapshots arrive through `feed` (null: no instance); `kill` sends a confirmed signal.
import { Box, useApp, useInput } from 'ink';
import { useEffect, useMemo, useReducer } from 'react';
import type { Snapshot } from '../../interop/protocol/status.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { dashReducer, type View } from './keys.js';
import { paneHeights } from './layout.js';
import { LinesPane } from './LinesPane.js';
import { ProcessPane, processWindow } from './ProcessPane.js';
import { sessionLines } from './session-lines.js';
import { initialState, rowsOf, signalName, type Confirm } from './state.js';
import { syscallLines } from './syscall-lines.js';
import { TabBar } from './TabBar.js';
import type { Size } from './use-terminal-size.js';

/** Subscribe to snapshots; returns the unsubscribe function. */
export type Feed = (listener: (s: Snapshot | null) => void) => () => void;
/** Send the confirmed signal; rejects with the reason it was not sent. */
export type Kill = (c: Confirm) => Promise<void>;

interface Props { feed: Feed; kill: Kill; size: Size; }

export function Dashboard({ feed, kill, size }: Props) {
  const { exit } = useApp();
  const [s, dispatch] = useReducer(dashReducer, initialState);
  useEffect(() => feed((snapshot) => dispatch({ type: 'snapshot', snapshot })), [feed]);
  useEffect(() => { if (s.quit) exit(); }, [s.quit]);
  useEffect(() => {
    const c = s.pending;
    if (!c) return;
    kill(c).then(
      () => dispatch({ type: 'message', message: { text: `${signalName(c.signal)} sent to pid ${c.pid} (${c.command})`, error: false } }),
      (e: Error) => dispatch({ type: 'message', message: { text: e.message, error: true } }));
  }, [s.pending]);

  const width = Math.max(20, size.cols);
  const heights = paneHeights(size.rows, s.pane);
  const rows = useMemo(() => rowsOf(s), [s.cur, s.prev, s.sort]);
  const sys = useMemo(() => syscallLines(s.cur, s.prev, width), [s.cur, s.prev, width]);
  const ses = useMemo(() => sessionLines(s.cur, width), [s.cur, width]);
  const listOf = { syscalls: sys, sessions: ses };
  const view: View = s.pane === 'processes' ? { height: processWindow(heights.processes), limit: 0 }
    : { height: heights[s.pane], limit: Math.max(0, listOf[s.pane].length - heights[s.pane]) };
  useInput((input, key) => dispatch({ type: 'key', input, key, view }));

  return (
    <Box flexDirection="column" width={width}>
      <Header cur={s.cur} prev={s.prev} loaded={s.loaded} width={width} />
      <TabBar pane={s.pane} sort={s.sort} cur={s.cur} width={width} />
      {!s.cur && <Box height={heights.processes + heights.syscalls + heights.sessions} />}
      {s.cur && heights.processes > 0 && (
        <ProcessPane rows={rows} selected={s.selected} offset={s.offsets.processes} height={heights.processes} width={width} focused={s.pane === 'processes'} />
      )}
      {s.cur && heights.syscalls > 0 && <LinesPane lines={sys} offset={s.offsets.syscalls} height={heights.syscalls} />}
      {s.cur && heights.sessions > 0 && <LinesPane lines={ses} offset={s.offsets.sessions} height={heights.sessions} />}
      <Footer confirm={s.confirm} message={s.message} width={width} />
    </Box>
  );
}
