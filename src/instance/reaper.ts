// Ending a kernel's Linux processes (idle shutdown, `pbash shutdown`, `pbash terminate`): SIGTERM to each,
// then SIGKILL to whatever is left after a grace period, as init does at system shutdown.
import type { Kernel } from '../emu/kernel/kernel.js';
import { sendSignal } from '../emu/kernel/signal-send.js';

const SIGKILL = 9, SIGTERM = 15;
export const TERM_GRACE_MS = 3000;

/** Pids of the live Linux processes but init (zombies have no tasks left). */
export function livePids(kernel: Kernel): number[] {
  const pids = new Set<number>();
  for (const t of kernel.tasks.values()) if (t.process !== kernel.init) pids.add(t.process.pid);
  return [...pids];
}

function signalAll(kernel: Kernel, sig: number): void {
  for (const pid of livePids(kernel)) {
    try { sendSignal(kernel, pid, sig); } catch { /* exited meanwhile */ }
  }
}

async function waitEmpty(kernels: Kernel[], ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (kernels.some((k) => livePids(k).length > 0)) {
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** Resolves once every process of these kernels is gone (or could not be killed: then false). */
export async function endProcesses(kernels: Kernel[], graceMs = TERM_GRACE_MS): Promise<boolean> {
  for (const k of kernels) signalAll(k, SIGTERM);
  if (await waitEmpty(kernels, graceMs)) return true;
  for (const k of kernels) signalAll(k, SIGKILL);
  return waitEmpty(kernels, 2000);
}
