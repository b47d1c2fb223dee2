// Temporary PBASH_HOMEs for tests that start daemons: each test gets its own (no shared daemons), and
// every daemon is ended at the end (`pbash shutdown`, then SIGKILL if it is still there).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPbash, type RunOptions, type RunResult } from '../helpers/pbash.js';
import { homePaths, pidAlive, readInfo, type InstanceInfo } from '../../src/interop/run-dir.js';

const homes = new Set<string>();

export function tempHome(): string {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-home-'));
  homes.add(h);
  return h;
}

export const homeEnv = (home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv =>
  ({ ...process.env, PBASH_HOME: home, PBASH_IDLE_MS: '60000', ...extra });

export function pbashIn(home: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runPbash(args, { ...opts, env: opts.env ?? homeEnv(home) });
}

export const infoOf = (home: string): InstanceInfo | null => readInfo(homePaths({ PBASH_HOME: home }));
export const daemonLog = (home: string): string => {
  try { return fs.readFileSync(path.join(home, 'logs', 'daemon.log'), 'utf8'); } catch { return ''; }
};

export async function until(cond: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/** End the daemon of a home (and forget the home). */
export async function endHome(home: string): Promise<void> {
  const info = infoOf(home);
  await pbashIn(home, ['shutdown'], { timeout: 20_000 }).catch(() => undefined);
  if (info && pidAlive(info.pid) && !(await until(() => !pidAlive(info.pid), 5000))) {
    try { process.kill(info.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  homes.delete(home);
  fs.rmSync(home, { recursive: true, force: true });
}

export async function endAllHomes(): Promise<void> {
  await Promise.all([...homes].map(endHome));
}
