// Where an instance is found: $PBASH_HOME (default ~/.pbash) holds run/ (0700) with instance.json (0600:
// pid, version, protocol, socket path, secret token) and the Unix socket; logs/ holds the daemon's log.
// Shared by the client (to find or start the daemon) and the daemon (to publish itself).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface InstanceInfo {
  pid: number;
  /** pbash's package version: a client of another version replaces the daemon. */
  version: string;
  protocol: number;
  socket: string;
  token: string;
  startedAt: number;
}

export interface HomePaths {
  home: string;
  run: string;
  logs: string;
  info: string;
  /** Taken by the client that starts a daemon, so 20 clients at once start one. */
  startLock: string;
  /** Held by the live daemon for its whole life. */
  daemonLock: string;
  socket: string;
  config: string;
}

export function homePaths(env: NodeJS.ProcessEnv = process.env): HomePaths {
  const home = path.resolve(env.PBASH_HOME || path.join(os.homedir(), '.pbash'));
  const run = path.join(home, 'run');
  return {
    home, run, logs: path.join(home, 'logs'), info: path.join(run, 'instance.json'),
    startLock: path.join(run, 'start.lock'), daemonLock: path.join(run, 'daemon.lock'),
    socket: socketPath(run), config: path.join(home, 'config.json'),
  };
}

/** sun_path holds 107 bytes: a deep PBASH_HOME gets its socket in the temp dir, named after the home. */
function socketPath(run: string): string {
  const p = path.join(run, 'pbash.sock');
  if (Buffer.byteLength(p) <= 100) return p;
  // FNV-1a, not node:crypto: this module is on the path of every `pbash -c`, which must start fast
  let h = 0x811c9dc5;
  for (const c of Buffer.from(run)) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return path.join(os.tmpdir(), `pbash-${process.getuid?.() ?? 0}-${h.toString(16)}.sock`);
}

export function ensureDirs(p: HomePaths): void {
  fs.mkdirSync(p.run, { recursive: true, mode: 0o700 });
  fs.chmodSync(p.run, 0o700); // an existing directory may have been made with a looser umask
  fs.mkdirSync(p.logs, { recursive: true, mode: 0o700 });
}

export function readInfo(p: HomePaths): InstanceInfo | null {
  try {
    const v = JSON.parse(fs.readFileSync(p.info, 'utf8')) as InstanceInfo;
    return typeof v.pid === 'number' && typeof v.socket === 'string' && typeof v.token === 'string' ? v : null;
  } catch { return null; }
}

/** Atomic publish: readers see the old file or the whole new one. */
export function writeInfo(p: HomePaths, info: InstanceInfo): void {
  const tmp = `${p.info}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
  fs.renameSync(tmp, p.info);
}

export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  return !isZombie(pid);
}

/** A killed daemon whose parent (often an init that does not reap) has not waited for it still answers kill(0). */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch { return false; } // no procfs (not Linux): kill(0) is all we have
}

/**
 * An exclusive lock file holding the owner's pid: created with O_EXCL, taken over when its owner is dead
 * or (for locks that guard a short operation) older than staleMs. Returns false while someone holds it.
 */
export function tryLock(file: string, staleMs = Infinity): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const stale = staleOwner(file, staleMs);
    if (stale === null) return false;
    // Two clients may both find it stale: rename is atomic, so each moves away whatever lock is there now,
    // and puts it back if it turns out to be a fresh one (taken by the other client meanwhile).
    const grave = `${file}.${process.pid}.stale`;
    try {
      fs.renameSync(file, grave);
      if (fs.readFileSync(grave, 'utf8') !== stale) { try { fs.linkSync(grave, file); } catch { /* taken again */ } }
      fs.rmSync(grave, { force: true });
    } catch { /* someone else moved it */ }
  }
  return false;
}

/** The content of a lock whose owner is dead (or that is older than staleMs), else null. */
function staleOwner(file: string, staleMs: number): string | null {
  try {
    const text = fs.readFileSync(file, 'utf8');
    const owner = Number(text);
    const age = Date.now() - fs.statSync(file).mtimeMs;
    if (!owner) return age > 1000 ? text : null; // being written right now, or garbage left by a crash
    return !pidAlive(owner) || age > staleMs ? text : null;
  } catch { return null; }
}

/** Remove a lock only if we still own it. */
export function unlock(file: string): void {
  try { if (Number(fs.readFileSync(file, 'utf8')) === process.pid) fs.rmSync(file, { force: true }); } catch { /* gone */ }
}
