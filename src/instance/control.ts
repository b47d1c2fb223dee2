// The daemon's control requests (status, list, set-default, terminate): one JSON reply each.
import type { Reply, Request } from '../interop/protocol/messages.js';
import { DistroError, type Distros } from './distros.js';
import { endProcesses, livePids } from './reaper.js';
import type { Session } from './session.js';

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
      case 'status': return status(ctx);
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

/** A snapshot for `pbash status`: the instance, its sessions, and each running distro's processes. */
function status(ctx: ControlContext): Reply {
  return {
    ok: true,
    pid: process.pid,
    version: ctx.version,
    uptimeMs: Date.now() - ctx.startedAt,
    idleMs: ctx.idleMs,
    rssBytes: process.memoryUsage.rss(),
    clients: ctx.clients(),
    sessions: [...ctx.sessions].map((s) => ({ id: s.id, distro: s.distro, pid: s.proc?.pid ?? null })),
    distros: ctx.distros.running().map(({ name, root, kernel }) => {
      const procs = new Map<number, { pid: number; ppid: number; pgid: number; comm: string; threads: number }>();
      for (const t of kernel.tasks.values()) {
        const p = t.process;
        const e = procs.get(p.pid);
        if (e) e.threads++;
        else procs.set(p.pid, { pid: p.pid, ppid: p.ppid, pgid: p.pgid, comm: p.comm, threads: 1 });
      }
      return { name, root, processes: [...procs.values()].sort((a, b) => a.pid - b.pid) };
    }),
  };
}
