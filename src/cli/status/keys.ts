// Keys to actions: ↑/↓ (and PgUp/PgDn, Home/End) move, tab switches panes, s changes the sort, k/K ask to
// send SIGTERM/SIGKILL to the selected process, y confirms (any other key cancels), q or Ctrl-C quits.
// Applied in the reducer, so keys that arrive together each see the state the previous one left.
import type { Key } from 'ink';
import { SIGKILL, SIGTERM, reduce, type Action, type DashState } from './state.js';

export type KeyInfo = Pick<Key, 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'tab' | 'ctrl'>;
/** Lines visible in the focused pane and, for a list pane, its last scroll offset. */
export interface View { height: number; limit: number; }

export type DashAction = Action | { type: 'key'; input: string; key: KeyInfo; view: View };

export function actionOf(input: string, key: KeyInfo, s: DashState, view: View): Action | null {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (s.confirm) return input === 'y' || input === 'Y' ? { type: 'send' } : { type: 'cancel' };
  const move = (by: number): Action => ({ type: 'move', by, height: view.height, limit: view.limit });
  if (key.upArrow) return move(-1);
  if (key.downArrow) return move(1);
  if (key.pageUp) return move(-Math.max(1, view.height));
  if (key.pageDown) return move(Math.max(1, view.height));
  if (key.home) return move(-Number.MAX_SAFE_INTEGER);
  if (key.end) return move(Number.MAX_SAFE_INTEGER);
  if (key.tab) return { type: 'tab' };
  switch (input) {
    case 'q': return { type: 'quit' };
    case 's': return { type: 'sort' };
    case 'k': return { type: 'kill', signal: SIGTERM };
    case 'K': return { type: 'kill', signal: SIGKILL };
    default: return null;
  }
}

export function dashReducer(s: DashState, a: DashAction): DashState {
  if (a.type !== 'key') return reduce(s, a);
  const action = actionOf(a.input, a.key, s, a.view);
  return action ? reduce(s, action) : s;
}
