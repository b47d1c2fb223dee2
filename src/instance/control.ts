// The daemon's control requests (status, list, set-default, terminate): one JSON reply each.
import type { Reply, Request } from '../interop/protocol/messages.js';
import { DistroError, type Distros } from './distros.js';
import { endProcesses, livePids } from './reaper.js';
import type { Session } from './session.js';
import { snapshot } from './telemetry.js';
import type { Snapshot } from '../interop/protocol/status.js';

export interface ControlContext {
  distros: Distros;
  sessions: Set<Session>;
  startedAt: number;
  version: string;
  idleMs: number;
  clients(): number;
  log(line: string): void;
}

export async function control(ctx: ControlContext, req: Request): Promise<Reply> {
  try {
    switch (req.op) {
      case 'status': return { ok: true, ...status(ctx) };
      case 'list': return { ok: true, distros: ctx.distros.list() };
      case 'set-default': {
        const d = ctx.distros.setDefault(String(req.name));
        return { ok: true, name: d.name, root: d.root };
      }
      case 'terminate': {
        const name = ctx.distros.nameOf(String(req.name));
        const k = ctx.distros.runningKernel(name);
        if (!k) return { ok: true, name, running: false };
        ctx.log(`terminate ${name}: ending ${livePids(k).length} processes`);
        const clean = await endProcesses([k]);
        ctx.distros.drop(name);
        return { ok: true, name, running: true, clean };
      }
      default: return { ok: false, error: `unknown request ${JSON.stringify((req as { op: unknown }).op)}` };
    }
  } catch (e) {
    if (e instanceof DistroError) return { ok: false, error: e.message };
    throw e;
  }
}

/** A snapshot for `pbash status` (docs/status-json.md). */
export function status(ctx: ControlContext): Snapshot {
  return snapshot({
    daemon: { pid: process.pid, version: ctx.version, startedAt: ctx.startedAt, idleMs: ctx.idleMs, clients: ctx.clients() },
    sessions: [...ctx.sessions].map((s) => s.info()),
    distros: ctx.distros.running(),
  });
}
