// The daemon's settings: environment first (PBASH_IDLE_MS), then $PBASH_HOME/config.json, then defaults.
import fs from 'node:fs';

export interface DaemonConfig {
  /** How long the instance stays up after its last client left. */
  idleMs: number;
}

export const DEFAULT_IDLE_MS = 15_000;

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): DaemonConfig {
  let fromFile: Partial<DaemonConfig> = {};
  try { fromFile = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DaemonConfig>; } catch { /* none */ }
  const envIdle = env.PBASH_IDLE_MS !== undefined && env.PBASH_IDLE_MS !== '' ? Number(env.PBASH_IDLE_MS) : NaN;
  const idleMs = Number.isFinite(envIdle) && envIdle >= 0 ? envIdle
    : typeof fromFile.idleMs === 'number' && fromFile.idleMs >= 0 ? fromFile.idleMs : DEFAULT_IDLE_MS;
  return { idleMs };
}
