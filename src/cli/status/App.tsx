// The dashboard at the terminal's size, following resizes.
import { Dashboard, type Feed, type Kill } from './Dashboard.js';
import { useTerminalSize } from './use-terminal-size.js';

export function App({ feed, kill }: { feed: Feed; kill: Kill }) {
  return <Dashboard feed={feed} kill={kill} size={useTerminalSize()} />;
}
