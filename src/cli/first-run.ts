// A bare `pbash` on a machine with no distro installs the default one first (as wsl.exe's first run
// does), with its progress on the terminal; later runs pay one `list` request.
import { connectInstance, request } from '../interop/instance-client.js';
import { pbashBuild } from '../interop/version.js';
import type { Reply } from '../interop/protocol/messages.js';
import { runImageOp } from './image-client.js';
import { fail } from './fail.js';

export const DEFAULT_IMAGE = 'debian';

export async function installDefaultIfNone(): Promise<void> {
  const c = await connectInstance(pbashBuild(), true);
  if (!c) fail('cannot reach the pbash instance');
  const list = await request<Reply>(c.conn, { op: 'list' });
  const distros = (list.distros ?? []) as Array<{ default: boolean }>;
  if (distros.some((d) => d.default)) return;
  process.stderr.write(`pbash: no distribution is installed: installing ${DEFAULT_IMAGE} (about a minute the first time)\n`);
  const c2 = await connectInstance(pbashBuild(), true);
  if (!c2) fail('cannot reach the pbash instance');
  const r = await runImageOp(c2, { op: 'install', image: DEFAULT_IMAGE, name: DEFAULT_IMAGE }, {}).catch((e: Error) => fail(e.message));
  if (!r.ok) fail(String(r.error ?? `installing ${DEFAULT_IMAGE} failed`));
  process.stderr.write(`pbash: installed ${DEFAULT_IMAGE}\n`);
}
