// Host programs started from Linux (interop, as WSL1 starts Windows programs): an execve of a file on a
// host drive (DrvFs, /mnt/...) turns the calling process into a proxy process. It keeps its pid, parent,
// process group and fds, and shows in ps under the program's name; the host process runs beside it with
// the guest's stdin/stdout/stderr relayed (guest fds of any kind), signals sent to the proxy reach the host
// program as the nearest host signal, and the host program's exit is the proxy's exit (zombie, SIGCHLD,
// wait status). The rule: every executable reached through a host drive is run by the host, whatever its
// format — on a POSIX host its ELF files are the host's own native programs.
import type { KTask } from './thread.js';
import type { HostImage } from '../loader/exec.js';
import type { HostChild, HostExit, HostStdio } from './host-launcher.js';
import { E, err, fromHostError } from './errno.js';
import { SIG, SIG_IGN, exitedStatus, signaledStatus } from './signals.js';
import { continueProcess, stopProcess } from './signal-deliver.js';
import { commitExec } from './exec-commit.js';
import { AddressSpace } from '../mm/address-space.js';
import { FileStream } from '../fs/file-stream.js';
import { HostNode } from '../fs/hostfs/hostfs.js';
import { DrvFs } from '../fs/drvfs/drvfs.js';
import { TtyFile } from '../fs/tty/pty.js';
import type { Tty } from '../fs/tty/tty.js';
import { IFLAG, LFLAG, OFLAG, VMIN, VTIME, cloneTermios, type Termios } from '../fs/tty/termios.js';
import { S_IFCHR, S_IFMT } from '../fs/constants.js';

/** Guest strings are byte strings (one char per byte); the host's are UTF-8. */
const hostString = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('utf8');
const guestBytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** The guest's /dev/null (1,3): the host program gets the host's own null device. */
function isNullDevice(st: { mode: number; rdev: number }): boolean {
  return (st.mode & S_IFMT) === S_IFCHR && st.rdev === ((1 << 8) | 3);
}

const STOPS = new Set<number>([SIG.SIGSTOP, SIG.SIGTSTP, SIG.SIGTTIN, SIG.SIGTTOU]);
const NAMES = new Map<number, string>(Object.entries(SIG).map(([k, v]) => [v, k]));
const ALIASES: Record<string, number> = { SIGIOT: SIG.SIGABRT, SIGPOLL: SIG.SIGIO, SIGCLD: SIG.SIGCHLD };

/** The wait status of a host exit; a host signal Linux has no name for counts as SIGKILL. */
export function hostWaitStatus(e: HostExit): number {
  if ('code' in e) return exitedStatus(e.code);
  const sig = (SIG as Record<string, number>)[e.signal] ?? ALIASES[e.signal] ?? SIG.SIGKILL;
  return signaledStatus(sig);
}

/**
 * The proxy's side of a running host program: what signals posted to the proxy do. Signals the guest
 * ignores (SIG_IGN survives execve) stay ignored, as the host program would inherit that; SIGCHLD and
 * SIGURG concern the guest's own children and sockets and are not sent; stop signals stop the host program
 * (SIGSTOP: the host has no other way to report a stop) and the proxy with it; SIGWINCH resizes the host
 * pseudo-terminal; everything else goes to the host program's process group by name.
 */
export class HostProxy {
  /** `killed`: SIGKILL arrived (the proxy ends now, not when the host reports the death). */
  constructor(readonly child: HostChild, private readonly tty: Tty | null, private readonly killed: () => void) {}

  /** The host program's pid (for `pbash status`). */
  get hostPid(): number { return this.child.pid; }

  signal(t: KTask, sig: number): void {
    const p = t.process;
    if (sig !== SIG.SIGKILL && sig !== SIG.SIGSTOP && p.sigactions[sig].handler === SIG_IGN) return;
    if (sig === SIG.SIGCHLD || sig === SIG.SIGURG) return;
    if (sig === SIG.SIGWINCH && this.tty) { this.child.resize(this.tty.winsize.col, this.tty.winsize.row); return; }
    if (sig === SIG.SIGKILL) { continueProcess(t, false); this.child.kill('SIGKILL'); this.killed(); return; }
    if (STOPS.has(sig)) {
      if (p.stopSig) return;
      this.child.kill('SIGSTOP');
      stopProcess(t, sig);
      return;
    }
    if (sig === SIG.SIGCONT) {
      // continued in the foreground (fg): pass bytes through again, as a full-screen program re-sets its modes
      if (this.tty && !this.tty.hungUp && this.tty.pgrp === p.pgid) rawTerminal(this.tty);
      this.child.kill('SIGCONT');
      continueProcess(t, true);
      return;
    }
    this.child.kill(NAMES.get(sig) ?? 'SIGTERM'); // a realtime signal: Node names none; its default action ends the program
  }
}

/** The host directory of the cwd when it lies on a host drive; null elsewhere (the host home then). */
function hostCwd(t: KTask): string | null {
  const node = t.fs.cwd.node;
  return node instanceof HostNode && node.fs instanceof DrvFs ? hostString(node.hostPath || '/') : null;
}

/** fd 0..2 as host stdio: closed or close-on-exec fds and /dev/null are the host's null device. */
function stdioOf(t: KTask, fd: number): HostStdio {
  if (!t.files.has(fd) || t.files.getCloexec(fd)) return 'null';
  const f = t.files.get(fd);
  try { if (isNullDevice(f.stat())) return 'null'; } catch { /* a file that cannot stat: relay it */ }
  return new FileStream(f, t);
}

/** The terminal stdin and stdout both are (an interactive host program gets a host pseudo-terminal). */
function terminalOf(t: KTask): Tty | null {
  const tty = (fd: number): Tty | null => {
    if (!t.files.has(fd) || t.files.getCloexec(fd)) return null;
    const f = t.files.get(fd);
    return f instanceof TtyFile && !f.master ? f.tty : null;
  };
  const a = tty(0);
  return a && a === tty(1) ? a : null;
}

/**
 * While a host program owns the terminal its host pseudo-terminal does the line editing, echo and output
 * processing; the guest terminal passes bytes through (cfmakeraw) but keeps ISIG, so ^C, ^Z and ^\ still
 * signal the guest's foreground group, the proxy with it. Returns the settings to restore.
 */
function rawTerminal(tty: Tty): Termios {
  const saved = cloneTermios(tty.termios);
  const t = cloneTermios(saved);
  t.iflag &= ~(IFLAG.IGNBRK | IFLAG.BRKINT | IFLAG.PARMRK | IFLAG.ISTRIP | IFLAG.INLCR | IFLAG.IGNCR | IFLAG.ICRNL | IFLAG.IXON);
  t.oflag &= ~OFLAG.OPOST;
  t.lflag &= ~(LFLAG.ECHO | LFLAG.ECHONL | LFLAG.ICANON | LFLAG.IEXTEN);
  t.cc[VMIN] = 1;
  t.cc[VTIME] = 0;
  tty.setTermios(t);
  return saved;
}

/**
 * execve of a host program: start it, then (the point of no return) make the caller its proxy. The
 * returned Promise settles when the proxy has exited (the task never runs guest code again).
 */
export function execHost(t: KTask, path: string, img: HostImage, env: string[]): Promise<number> {
  const launcher = t.kernel.interop;
  if (!launcher) {
    t.kernel.log(`pbash: ${img.exe}: a host program, and interop is off ([interop] enabled=false): ENOEXEC`);
    throw err(E.ENOEXEC, 'interop is off');
  }
  const cwd = hostCwd(t);
  const tty = terminalOf(t);
  const stdio = [0, 1, 2].map((fd) => stdioOf(t, fd)) as [HostStdio, HostStdio, HostStdio];
  const saved = tty ? rawTerminal(tty) : null;
  let child: HostChild;
  try {
    child = launcher.launch({
      file: hostString(img.hostPath), argv: img.argv.map(hostString), env: env.map(hostString), cwd,
      stdio, terminal: tty ? { cols: tty.winsize.col, rows: tty.winsize.row } : null,
    });
  } catch (e) {
    if (tty && saved) tty.setTermios(saved);
    for (const s of stdio) if (s !== 'null') s.close();
    throw fromHostError(e);
  }
  const err2 = stdio[2];
  if (cwd === null && err2 !== 'null') {
    const dir = t.kernel.vfs.pathFor(t, t.fs.cwd);
    // as WSL does for a Linux-only cwd: one warning line (queued before anything the program writes: the
    // relay's first write comes after an event), and the program runs in the host home directory
    err2.write(guestBytes(`pbash: warning: ${hostString(dir)} is not on a host drive; ${hostString(img.exe)} starts in the host home directory\n`)).catch(() => {});
  }
  commitExec(t, path, img.exe, img.argv, env, AddressSpace.create(img.exe));
  let finish!: (status: number) => void;
  const ended = new Promise<number>((resolve) => { finish = resolve; });
  // SIGKILL ends the proxy at once, as it ends a Linux process; the relays still deliver what the host
  // program wrote before it died (they hold their own references to the guest's files)
  t.process.hostProxy = new HostProxy(child, tty, () => finish(signaledStatus(SIG.SIGKILL)));
  child.done.then((e) => finish(hostWaitStatus(e)), (e) => {
    t.kernel.log(`pbash: host program ${img.exe} (pid ${t.process.pid}): ${(e as Error)?.message ?? e}`);
    finish(signaledStatus(SIG.SIGKILL));
  });
  return ended.then((status) => {
    if (tty && saved && !tty.hungUp) tty.setTermios(saved);
    t.process.hostProxy = null;
    t.exitGroup(status);
    return 0;
  });
}
