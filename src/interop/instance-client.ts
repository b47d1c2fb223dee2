// The client's way to its instance: find the daemon through $PBASH_HOME/run, start it when there is none
// (one client at a time holds the start lock, so many clients starting at once start one daemon), and
// open an authenticated connection. A stale run directory (dead pid, refused socket) or a daemon of
// another version simply leads to starting a fresh one; the daemon takes over the run directory.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FramedConnection } from './protocol/connection.js';
import { PROTOCOL_VERSION, T, hello, json, parseJson } from './protocol/messages.js';
import { ensureDirs, homePaths, pidAlive, readInfo, tryLock, unlock, type HomePaths, type InstanceInfo } from './run-dir.js';

export interface Connected { conn: FramedConnection; info: InstanceInfo; }

export class InstanceError extends Error {}

// generous: on a machine saturated by other work a daemon start has taken more than 20 s
const START_TIMEOUT_MS = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Connect to the running instance; with start, start one first when none answers. Null: none and !start.
 * `first`: a request frame sent right behind HELLO (see handshake).
 */
export async function connectInstance(version: string, start: boolean, env = process.env, first?: Buffer): Promise<Connected | null> {
  const p = homePaths(env);
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const found = await tryExisting(p, version, first);
    if (found || !start) return found;
    ensureDirs(p);
    if (tryLock(p.startLock, START_TIMEOUT_MS)) {
      try {
        const again = await tryExisting(p, version, first); // started by another client since we looked
        if (again) return again;
        return await startAndConnect(p, version, env, deadline, first);
      } finally { unlock(p.startLock); }
    }
    if (Date.now() > deadline) throw new InstanceError(`the pbash instance did not start in time (see ${logFile(p)})`);
    await sleep(15);
  }
}

export const logFile = (p: HomePaths): string => path.join(p.logs, 'daemon.log');

async function tryExisting(p: HomePaths, version: string, first?: Buffer): Promise<Connected | null> {
  const info = readInfo(p);
  if (!info || info.version !== version || info.protocol !== PROTOCOL_VERSION || !pidAlive(info.pid)) return null;
  return handshake(info, first);
}

async function startAndConnect(p: HomePaths, version: string, env: NodeJS.ProcessEnv, deadline: number, first?: Buffer): Promise<Connected> {
  const { spawn } = await import('node:child_process');
  const log = fs.openSync(logFile(p), 'a', 0o600);
  const child = spawn(process.execPath, daemonArgs(), {
    detached: true, stdio: ['ignore', log, log], cwd: p.home, env: { ...env, PBASH_HOME: p.home },
  });
  child.unref();
  fs.closeSync(log);
  let exited: number | null = null;
  child.on('exit', (code) => { exited = code ?? 1; });
  while (Date.now() < deadline) {
    const c = await tryExisting(p, version, first);
    if (c) return c;
    if (exited !== null && exited !== 0) throw new InstanceError(`the pbash instance failed to start (see ${logFile(p)})`);
    await sleep(10);
  }
  throw new InstanceError(`the pbash instance did not start in time (see ${logFile(p)})`);
}

/**
 * The daemon's entry point beside this module's folder: the build's one-file bundle of it (package.json
 * build:bundle; it starts much faster than ~150 separate modules), or the .ts when the tests run the sources.
 */
function daemonArgs(): string[] {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const entry = path.join(path.dirname(here), '..', 'instance', ts ? 'daemon-main.ts' : 'daemon-main.bundle.js');
  return ts ? ['--import', 'tsx', entry] : [entry];
}

/**
 * Connect and authenticate. Null when nothing listens (stale); throws when the daemon refuses us.
 * `first` (a request) goes out with HELLO: the daemon reads it once the token checked, which saves waiting
 * for WELCOME (a round trip through both event loops); what follows WELCOME waits for the next handlers.
 */
export function handshake(info: InstanceInfo, first?: Buffer): Promise<Connected | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(info.socket);
    let settled = false;
    const settle = (v: Connected | null, e?: Error): void => {
      if (settled) return;
      settled = true;
      if (e) { socket.destroy(); reject(e); } else resolve(v);
    };
    socket.once('error', () => settle(null));
    socket.once('connect', () => {
      const conn = new FramedConnection(socket, {
        frame: (f) => {
          if (f.type === T.WELCOME) { conn.hold(); settle({ conn, info }); }
          else if (f.type === T.REFUSED) settle(null, new InstanceError(`the instance refused the connection: ${f.payload.toString('utf8')}`));
          else settle(null, new InstanceError(`unexpected frame 0x${f.type.toString(16)} in the handshake`));
        },
        error: (e) => settle(null, new InstanceError(`handshake: ${e.message}`)),
        close: () => settle(null),
      });
      conn.send(hello(info.token));
      if (first) conn.send(first);
    });
  });
}

/** One control request on a fresh connection: its JSON reply. */
export function request<R>(conn: FramedConnection, req: object): Promise<R> {
  return new Promise((resolve, reject) => {
    conn.handlers = {
      frame: (f) => {
        if (f.type === T.REPLY) { resolve(parseJson<R>(f)); conn.end(); } else reject(new InstanceError(`unexpected frame 0x${f.type.toString(16)}`));
      },
      error: (e) => reject(e),
      close: () => reject(new InstanceError('the instance closed the connection')),
    };
    conn.send(json(T.REQUEST, req));
  });
}

/** A `subscribe` request: `onSnapshot` for each SNAPSHOT frame; resolves when the connection closes. */
export function subscribe(conn: FramedConnection, intervalMs: number | undefined, onSnapshot: (s: unknown) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    conn.handlers = {
      frame: (f) => {
        if (f.type === T.SNAPSHOT) onSnapshot(parseJson(f));
        else reject(new InstanceError(`unexpected frame 0x${f.type.toString(16)}`));
      },
      error: (e) => reject(e),
      close: () => resolve(),
    };
    conn.send(json(T.REQUEST, { op: 'subscribe', intervalMs }));
  });
}
