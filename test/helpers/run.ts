// Spawn a process the way tests need it: stdin fed from a Buffer (or closed), stdout/stderr captured as
// Buffers, a timeout that kills the whole process group, and a shell-style exit status (signal n -> 128+n).
import { spawn } from 'node:child_process';
import os from 'node:os';

export interface RunOptions {
  /** Bytes fed to stdin, then stdin is closed. Without it stdin is an empty pipe (EOF at once). */
  input?: string | Buffer;
  /** Milliseconds before the process group is killed with SIGKILL (default 60 s). */
  timeout?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface RunResult {
  command: string[];
  stdout: Buffer;
  stderr: Buffer;
  /** The exit status as a shell reports it: the code, or 128 + signal number. */
  exitCode: number;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
}

export function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const command = [file, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // own process group, so a timeout kills everything it started
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
    }, opts.timeout ?? 60_000);
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.stdin!.on('error', () => { /* the child may exit without reading stdin */ });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const signo = signal ? (os.constants.signals[signal] ?? 0) : 0;
      resolve({
        command,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err),
        exitCode: code ?? 128 + signo,
        signal,
        timedOut,
        durationMs: performance.now() - started,
      });
    });
    child.stdin!.end(opts.input ?? '');
  });
}
