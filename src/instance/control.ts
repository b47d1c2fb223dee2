// The daemon's control requests (status, list, set-default, terminate, kill): one JSON reply each.
import type { KillRequest, Reply, Request } from '../interop/protocol/messages.js';
import { E, LinuxError } from '../emu/kernel/errno.js';
import { sendSignal } from '../emu/kernel/signal-send.js';
import { NSIG } from '../emu/kernel/signals.js';
import { DistroError, type Distros } from './distros.js';
import { endProcesses, livePids } from './reaper.js';
import type { Session } from './session.js';
import { snapshot } from './telemetry.js';
import { linuxCwd } from './distro-boot.js';
import { runPathCommand } from '../interop/path-command.js';
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
      case 'kill': return kill(ctx, req);
      case 'path': {
        const d = ctx.distros.resolve({ distro: req.distro, root: req.root });
        const { view } = ctx.distros.booted(d);
        const args = Array.isArray(req.args) ? req.args.map(String) : [];
        return { ok: true, ...runPathCommand('pbash path', args, view, linuxCwd(d, view, String(req.hostCwd))) };
      }
      default: return { ok: false, error: `unknown request ${JSON.stringify((req as { op: unknown }).op)}` };
    }
  } catch (e) {
    if (e instanceof DistroError) return { ok: false, error: e.message };
    throw e;
  }
}

/** SI_USER from outside the distro's pid namespace: the receiver sees si_pid 0, as for a host-side kill. */
const FROM_OUTSIDE = { code: 0, pid: 0, uid: 0 };

/** `kill`: one signal to one live process of a running distro; never to pid 1, its init. */
function kill(ctx: ControlContext, req: KillRequest): Reply {
  const { pid, signal } = req;
  if (!Number.isSafeInteger(pid) || pid < 1) return { ok: false, error: `kill: ${String(pid)} is not a process id` };
  if (!Number.isSafeInteger(signal) || signal < 1 || signal > NSIG) return { ok: false, error: `kill: ${String(signal)} is not a signal number` };
  const name = ctx.distros.nameOf(String(req.distro));
  const k = ctx.distros.runningKernel(name);
  if (!k) return { ok: false, error: `kill: distro ${name} is not running` };
  if (pid === 1) return { ok: false, error: `kill: pid 1 is the init of ${name}; end the distro with pbash terminate` };
  try {
    sendSignal(k, pid, signal, undefined, FROM_OUTSIDE);
  } catch (e) {
    if (e instanceof LinuxError && e.errno === E.ESRCH) return { ok: false, error: `kill: no process ${pid} in ${name}` };
    throw e;
  }
  ctx.log(`kill: signal ${signal} to pid ${pid} of ${name}`);
  return { ok: true, distro: name, pid, signal };
}

/** A snapshot for `pbash status` (docs/status-json.md). */
export function status(ctx: ControlContext): Snapshot {
  return snapshot({
    daemon: { pid: process.pid, version: ctx.version, startedAt: ctx.startedAt, idleMs: ctx.idleMs, clients: ctx.clients() },
    sessions: [...ctx.sessions].map((s) => s.info()),
    distros: ctx.distros.running(),
  });
}
