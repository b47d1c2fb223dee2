// `pbash status` on a terminal: the live dashboard on the alternate screen (the user's screen comes back on
// quit, as with top), fed by a subscription; a confirmed kill is one `kill` request on its own connection.
import { render } from 'ink';
import { connectInstance, request } from '../../interop/instance-client.js';
import type { KillRequest, Reply } from '../../interop/protocol/messages.js';
import { pbashBuild } from '../../interop/version.js';
import { App } from './App.js';
import { applyColorPolicy } from './color.js';
import { InstanceFeed } from './feed.js';
import type { Confirm } from './state.js';

const ENTER_ALT = '\x1b[?1049h', LEAVE_ALT = '\x1b[?1049l';

async function kill(c: Confirm): Promise<void> {
  const conn = await connectInstance(pbashBuild(), false);
  if (!conn) throw new Error('the instance is not running');
  const req: KillRequest = { op: 'kill', distro: c.distro, pid: c.pid, signal: c.signal };
  const r = await request<Reply>(conn.conn, req);
  if (!r.ok) throw new Error(String(r.error ?? 'the instance refused the request'));
}

export async function runDashboard(intervalMs: number | undefined): Promise<void> {
  const out = process.stdout;
  applyColorPolicy(out);
  const leave = (): void => { out.write(LEAVE_ALT); };
  out.write(ENTER_ALT);
  process.once('exit', leave); // whatever ends the process, the user's screen comes back
  let app: ReturnType<typeof render> | null = null;
  let failure: Error | null = null;
  const feed = new InstanceFeed(intervalMs, (e) => { failure = e; app?.unmount(); });
  try {
    app = render(<App feed={feed.feed} kill={kill} />, { exitOnCtrlC: false });
    feed.start();
    await app.waitUntilExit();
    if (failure) throw failure; // told once the terminal is the user's again
  } finally {
    feed.stop();
    process.off('exit', leave);
    leave();
  }
}
