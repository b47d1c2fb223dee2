// One session: a client connection that asked to create a process. The connection carries the process's
// stdin/stdout/stderr (session-stream.ts), the host signals and window sizes the client forwards, and
// finally the exit status. A client that disappears hangs the session up: stdin ends, output writers get
// EPIPE, and the session's process group gets SIGHUP, so nothing it started is left running unnoticed.
import type { Kernel } from '../emu/kernel/kernel.js';
import type { KProcess } from '../emu/kernel/process.js';
import type { OpenFile } from '../emu/fs/file.js';
import { sendSignal, sendSignalToGroup } from '../emu/kernel/signal-send.js';
import { FrameError, type Frame } from '../interop/protocol/frame.js';
import type { FramedConnection } from '../interop/protocol/connection.js';
import * as M from '../interop/protocol/messages.js';
import { sessionEnvironment } from '../interop/pbashenv.js';
import { resolveUser } from '../emu/kernel/spawn.js';
import { CONFIG_PATH } from './distro-config.js';
import { linuxCwd } from './distro-boot.js';
import { SessionInput, SessionOutput } from './session-stream.js';
import { TerminalLink } from './session-terminal.js';
import { exitCodeOf, launch, latin1, PBASH_FAILURE } from './launch.js';
import { DistroError, type Distros } from './distros.js';
import type { SessionInfo } from '../interop/protocol/status.js';

const SIGHUP = 1;

/** The request's host variables: string values only (anything else from a client is dropped). */
const stringRecord = (v: unknown): Record<string, string> =>
  (v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) : {});

function userExists(kernel: Kernel, user: string): boolean {
  try { resolveUser(kernel, user); return true; } catch { return false; }
}
/** Host signals a client may forward (not on a terminal: there ^C is a byte for the line discipline). */
const FORWARDED = new Set([1, 2, 3, 15]);
let nextId = 1;

export interface SessionContext { distros: Distros; log(line: string): void; }

export class Session {
  readonly id = nextId++;
  proc: KProcess | null = null;
  kernel: Kernel | null = null;
  distro = '';
  /** When the client connected (pbash status). */
  readonly since = Date.now();
  private readonly input: SessionInput;
  private readonly outputs: [SessionOutput, SessionOutput];
  private terminal: TerminalLink | null = null;
  winsize: M.WinSize | null;
  private ended = false;

  constructor(private readonly conn: FramedConnection, private readonly req: M.CreateRequest, private readonly ctx: SessionContext) {
    this.winsize = req.winsize ?? null;
    this.input = new SessionInput((n) => conn.send(M.ack(M.STDIN, n)));
    this.outputs = [M.STDOUT, M.STDERR].map((s) => new SessionOutput(
      (bytes) => conn.send(M.data(s, bytes)),
      () => conn.send(M.streamOnly(M.T.EOF, s)),
    )) as [SessionOutput, SessionOutput];
  }

  /** What pbash status shows of this session. */
  info(): SessionInfo {
    const pid = this.req.clientPid;
    return {
      id: this.id, distro: this.distro, pid: this.proc?.pid ?? null, clientPid: Number.isSafeInteger(pid) ? pid! : null,
      argv: Array.isArray(this.req.argv) ? this.req.argv.map(String) : [], terminal: this.terminal !== null, since: this.since,
    };
  }

  start(): void {
    const r = this.req;
    if (!Array.isArray(r.argv) || !r.argv.length || !Array.isArray(r.env) || typeof r.hostCwd !== 'string') {
      throw new FrameError('malformed', 'create: argv, env and hostCwd are required');
    }
    // an install or import in progress: launch once it is done (it may be creating the distro we need)
    if (this.ctx.distros.busy) { void this.ctx.distros.whenIdle().then(() => { if (!this.ended) this.launch(); }); return; }
    this.launch();
  }

  private launch(): void {
    const r = this.req;
    let d;
    try { d = this.ctx.distros.resolve(r); } catch (e) {
      if (e instanceof DistroError) return this.finish(PBASH_FAILURE, e.message);
      throw e;
    }
    this.distro = d.name;
    const booted = this.ctx.distros.booted(d);
    const kernel = this.kernel = booted.kernel;
    const stdio = this.stdio(kernel);
    const { config, view } = booted;
    const warnings = booted.warning ? [booted.warning] : [];
    // the caller's directory: inside a --root tree as itself, anywhere else through the host mount
    const cwd = r.cd ?? linuxCwd(d, view, r.hostCwd);
    const env = sessionEnvironment(r.env, stringRecord(r.hostEnv), view, config.interop.appendHostPath);
    let user = r.user;
    if (user === undefined && config.user.default !== null) {
      if (userExists(kernel, latin1(config.user.default))) user = config.user.default;
      else warnings.push(`${CONFIG_PATH}: [user] default: no user ${config.user.default} in this distribution; root used`);
    }
    for (const w of warnings) stdio[2].write(Buffer.from(`pbash: warning: ${w}\n`));
    const launched = launch(kernel, {
      argv: r.argv.map(latin1), env: env.map(latin1), cwd: latin1(cwd),
      user: user === undefined ? undefined : latin1(user), loginShell: r.loginShell === true,
    }, stdio);
    if ('exitCode' in launched) return this.finish(launched.exitCode, launched.message);
    const proc = this.proc = launched.proc;
    this.ctx.log(`session ${this.id}: pid ${proc.pid} in ${d.name}${this.terminal ? ' on a terminal' : ''}: ${JSON.stringify(r.argv)}`);
    this.conn.send(M.json(M.T.STARTED, { pid: proc.pid, terminal: this.terminal !== null }));
    void proc.exited.then(async (status) => {
      await this.terminal?.drained(); // the last screenful before the exit status
      this.finish(exitCodeOf(status));
    });
  }

  /**
   * The files of fds 0, 1, 2. When the client's stdin and stdout are both terminals the session runs on a
   * pseudo-terminal (stderr too when it is a terminal); otherwise on pipe-like session streams.
   */
  private stdio(kernel: Kernel): [OpenFile, OpenFile, OpenFile] {
    const [tin, tout, terr] = Array.isArray(this.req.tty) ? this.req.tty : [false, false, false];
    if (!tin || !tout) return [this.input, this.outputs[0], this.outputs[1]];
    const t = this.terminal = new TerminalLink(kernel, this.winsize ?? { rows: 24, cols: 80 }, this.req.modes,
      (b) => this.conn.send(M.data(M.STDOUT, b)), (n) => this.conn.send(M.ack(M.STDIN, n)));
    t.start();
    return [t.slave, t.slave, terr ? t.slave : this.outputs[1]];
  }

  frame(f: Frame): void {
    switch (f.type) {
      case M.T.DATA:
        if (M.expectStream(f, 0) !== M.STDIN) throw new FrameError('malformed', 'DATA for an output stream');
        if (this.terminal) this.terminal.input(f.payload.subarray(1));
        else if (!this.input.push(f.payload.subarray(1))) throw new FrameError('malformed', 'stdin data beyond the granted credit');
        return;
      case M.T.EOF:
        if (M.expectStream(f, 1) !== M.STDIN) throw new FrameError('malformed', 'EOF for an output stream');
        return this.input.end();
      case M.T.ACK: {
        const n = M.ackBytes(f);
        if (this.terminal && M.expectStream(f, 5) === M.STDOUT) return this.terminal.ack(n);
        return this.output(f).ack(n);
      }
      case M.T.CLOSE: M.expectStream(f, 1); return this.output(f).close();
      case M.T.SIGNAL: {
        if (f.payload.length !== 1 || !FORWARDED.has(f.payload[0])) throw new FrameError('malformed', 'SIGNAL');
        return this.signal(f.payload[0]);
      }
      case M.T.RESIZE: {
        this.winsize = M.parseResize(f);
        this.terminal?.resize(this.winsize); // pipes: recorded only (a later pty or `status` may use it)
        return;
      }
      default: throw new FrameError('malformed', `frame 0x${f.type.toString(16)} in a session`);
    }
  }

  private output(f: Frame): SessionOutput {
    const s = M.expectStream(f, f.type === M.T.ACK ? 5 : 1);
    if (s === M.STDIN) throw new FrameError('malformed', 'output frame for stdin');
    return this.outputs[s - 1];
  }

  /** To the session's process group (the first process's current group), else the process itself. */
  signal(sig: number): void {
    const p = this.proc;
    if (!p || !this.kernel || p.zombie) return;
    try { sendSignalToGroup(this.kernel, p.pgid, sig); } catch {
      try { sendSignal(this.kernel, p.pid, sig); } catch { /* gone */ }
    }
  }

  /** The connection is gone (client exited, killed, or sent garbage). */
  disconnected(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.ctx.log(`session ${this.id}: client gone (${reason}): hanging up`);
    this.hangUpStreams();
    // a terminal's hangup sends SIGHUP to its session (tty layer); pipes: we hang up the process group
    if (this.terminal) this.terminal.hangup(); else this.signal(SIGHUP);
  }

  private finish(code: number, message?: string): void {
    if (this.ended) return;
    this.ended = true;
    if (this.proc) this.ctx.log(`session ${this.id}: pid ${this.proc.pid} exited with ${code}`);
    this.conn.end(M.exit(code, message));
    this.hangUpStreams();
    this.terminal?.hangup();
  }

  /** Processes still holding the streams (background jobs) now read EOF and write EPIPE. */
  private hangUpStreams(): void {
    this.input.end();
    for (const o of this.outputs) o.close();
  }
}
