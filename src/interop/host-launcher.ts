// Starting host programs for Linux processes (the kernel's HostLauncher, src/emu/kernel/host-launcher.ts):
// with pipes relayed to the guest's fds, or on a host pseudo-terminal (node-pty) when the guest's stdin and
// stdout are a terminal. Each program gets its own host process group, so a signal reaches what it starts.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';
import type * as NodePty from 'node-pty';
// types only: the contract the kernel publishes for its injected launcher (no kernel code is loaded)
import type { HostChild, HostExit, HostLaunch, HostLauncher as KernelHostLauncher } from '../emu/kernel/host-launcher.js';
import { drainHost, feedHost } from './host-relay.js';

export interface LauncherOptions {
  /**
   * The host environment of a program from its guest environment ("NAME=value" strings): the instance
   * gives the host's own plus what PBASHENV sends (pbashenv.ts); by default the guest's passes unchanged.
   */
  environment?: (guest: string[]) => NodeJS.ProcessEnv;
}

/** The guest environment as it is. */
export function passEnvironment(guest: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const kv of guest) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return env;
}

/** A Linux signal name as the host's signal number; one the host lacks is SIGTERM (ends the program). */
const hostSignal = (name: string): number =>
  (os.constants.signals as Record<string, number>)[name] ?? os.constants.signals.SIGTERM;
const hostSignalName = (n: number): string =>
  Object.entries(os.constants.signals).find(([, v]) => v === n)?.[0] ?? 'SIGKILL';

/** Signal the program's process group (it leads one); nothing once it has exited. */
function groupKill(pid: number, exited: () => boolean, name: string): void {
  if (exited()) return;
  try { process.kill(-pid, hostSignal(name)); } catch { try { process.kill(pid, hostSignal(name)); } catch { /* gone */ } }
}

/** Bytes of host-terminal output the guest terminal may have pending before the host side waits for it. */
const PTY_HIGH_WATER = 64 * 1024;

const requireCjs = createRequire(import.meta.url);
let nodePty: typeof NodePty | null = null;

export class HostLauncher implements KernelHostLauncher {
  constructor(private readonly o: LauncherOptions = {}) {}

  launch(req: HostLaunch): HostChild {
    fs.accessSync(req.file, fs.constants.X_OK); // ENOENT/EACCES now, while execve can still fail with them
    const env = (this.o.environment ?? passEnvironment)(req.env);
    const cwd = req.cwd ?? os.homedir();
    return req.terminal ? onTerminal(req, env, cwd, req.terminal) : piped(req, env, cwd);
  }
}

function piped(req: HostLaunch, env: NodeJS.ProcessEnv, cwd: string): HostChild {
  const child = spawn(req.file, req.argv.slice(1), {
    argv0: req.argv[0], cwd, env, detached: true, stdio: req.stdio.map((s) => (s === 'null' ? 'ignore' : 'pipe')),
  });
  if (child.pid === undefined) {
    child.on('error', () => {});
    throw Object.assign(new Error(`cannot start ${req.file}`), { code: 'EACCES' });
  }
  const pid = child.pid;
  let ended = false;
  const exited = new Promise<HostExit>((resolve) => {
    child.on('error', () => {});
    child.on('exit', (code, signal) => { ended = true; resolve(signal ? { signal } : { code: code ?? 0 }); });
  });
  const [i, o, e] = req.stdio;
  if (i !== 'null') {
    void feedHost(i, child.stdin as Writable);
    void exited.then(() => i.close()); // the program is gone: stop reading the guest for it
  }
  // a write into a guest pipe without readers: SIGPIPE to the writer, as Linux sends it (only the program
  // itself: it is the one writing)
  const broken = (): void => { if (!ended) try { process.kill(pid, hostSignal('SIGPIPE')); } catch { /* gone */ } };
  const outs = [o !== 'null' ? drainHost(child.stdout as Readable, o, broken) : null,
    e !== 'null' ? drainHost(child.stderr as Readable, e, broken) : null];
  return {
    pid,
    kill: (name) => groupKill(pid, () => ended, name),
    resize: () => {},
    done: Promise.all([exited, ...outs]).then(([x]) => x),
  };
}

/** The program on a host pseudo-terminal: its input from the guest's stdin, its output (stdout and stderr,
 * as a terminal merges them) to the guest's stdout. */
function onTerminal(req: HostLaunch, env: NodeJS.ProcessEnv, cwd: string, size: { cols: number; rows: number }): HostChild {
  nodePty ??= requireCjs('node-pty') as typeof NodePty;
  // the terminal type is the session terminal's (the guest's TERM), whatever the host environment says
  const term = req.env.find((kv) => kv.startsWith('TERM='))?.slice(5) ?? env.TERM ?? 'xterm';
  const pty = nodePty.spawn(req.file, req.argv.slice(1), {
    name: term, cols: size.cols || 80, rows: size.rows || 24, cwd, env, encoding: null,
  });
  let ended = false;
  const [i, o, e] = req.stdio;
  if (e !== 'null') e.close(); // a terminal merges stderr into its output
  const exited = new Promise<HostExit>((resolve) => {
    pty.onExit(({ exitCode, signal }) => {
      ended = true;
      resolve(signal ? { signal: hostSignalName(signal) } : { code: exitCode });
    });
  });
  let writing: Promise<void> = Promise.resolve();
  if (o !== 'null') {
    // Backpressure above a high-water mark only: node-pty destroys its master 200 ms after the program exits,
    // dropping what is still unread, so a paused master is resumed as soon as the program is gone.
    let pending = 0;
    let watch: NodeJS.Timeout | null = null;
    const resume = (): void => { if (watch) { clearInterval(watch); watch = null; pty.resume(); } };
    const gone = (): boolean => { try { process.kill(pty.pid, 0); return ended; } catch { return true; } };
    pty.onData((d) => {
      const chunk = d as unknown as Buffer;
      pending += chunk.length;
      if (pending > PTY_HIGH_WATER && !watch && !gone()) {
        pty.pause();
        watch = setInterval(() => { if (gone()) resume(); }, 50);
      }
      writing = writing.then(() => o.write(chunk)).catch(() => {}).then(() => {
        pending -= chunk.length;
        if (pending <= PTY_HIGH_WATER / 2) resume();
      });
    });
  }
  if (i !== 'null') {
    void (async () => {
      const buf = Buffer.allocUnsafe(4096);
      for (let n; !ended && (n = await i.read(buf)) > 0;) if (!ended) pty.write(Buffer.from(buf.subarray(0, n)));
    })().catch(() => {});
    void exited.then(() => i.close());
  }
  return {
    pid: pty.pid,
    kill: (name) => groupKill(pty.pid, () => ended, name),
    resize: (cols, rows) => { if (!ended && cols > 0 && rows > 0) pty.resize(cols, rows); },
    done: exited.then(async (x) => { await writing; if (o !== 'null') o.close(); return x; }),
  };
}
