// A program on a real pseudo-terminal (node-pty), driven as a user at a terminal would drive it:
//   const t = onPty('/bin/sh', ['-c', line], { cols: 80, rows: 24, env });
//   await t.expect(/\$ $/);       // waits for output (after what earlier expects consumed) to match
//   t.write('ls\r'); t.resize(100, 30);
//   const code = await t.exited;  // shell-style status (signal n -> 128+n)
// Waiting on output, never on fixed delays, keeps the tests right on a loaded machine.
import { spawn, type IPty } from 'node-pty';

export interface PtyOptions { cols?: number; rows?: number; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; }

export class PtySession {
  /** Everything the program wrote to the terminal. */
  screen = '';
  /** Where the next expect starts looking. */
  private cursor = 0;
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number>;
  private readonly pty: IPty;
  private done = false;

  constructor(file: string, args: string[], opts: PtyOptions = {}) {
    this.pty = spawn(file, args, {
      name: 'xterm', cols: opts.cols ?? 80, rows: opts.rows ?? 24, cwd: opts.cwd ?? process.cwd(),
      env: (opts.env ?? process.env) as Record<string, string>,
    });
    this.pty.onData((d) => { this.screen += d; this.wake(); });
    const killer = setTimeout(() => this.kill(), opts.timeoutMs ?? 120_000);
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode, signal }) => {
      clearTimeout(killer);
      this.done = true;
      this.wake();
      resolve(signal ? 128 + signal : exitCode);
    }));
  }

  get pid(): number { return this.pty.pid; }

  write(keys: string): void { this.pty.write(keys); }

  resize(cols: number, rows: number): void { this.pty.resize(cols, rows); }

  kill(): void { try { this.pty.kill('SIGKILL'); } catch { /* gone */ } }

  /** Output after the cursor matching re; the cursor moves past the match. Rejects on timeout or exit. */
  async expect(re: RegExp, ms = 30_000): Promise<RegExpExecArray> {
    const end = Date.now() + ms;
    for (;;) {
      const m = re.exec(this.screen.slice(this.cursor));
      if (m) { this.cursor += m.index + m[0].length; return m; }
      if (this.done || Date.now() > end) {
        throw new Error(`${this.done ? 'exited' : 'timed out'} waiting for ${re} in ${JSON.stringify(this.screen.slice(this.cursor))}`);
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, end - Date.now()));
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
  }

  /** The output from the cursor on, without moving it. */
  get rest(): string { return this.screen.slice(this.cursor); }

  private wake(): void { this.waiters.splice(0).forEach((w) => w()); }
}

export const onPty = (file: string, args: string[], opts?: PtyOptions): PtySession => new PtySession(file, args, opts);
