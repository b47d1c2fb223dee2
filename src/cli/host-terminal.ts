// The host terminal under a session: window size, raw mode while a Linux terminal session runs (the line
// discipline is then the kernel's), and its restoration on every way out (the 'exit' event covers normal
// exit, errors that end in process.exit, and forwarded signals; only SIGKILL escapes).
import tty from 'node:tty';
import type { TerminalModes, WinSize } from '../interop/protocol/messages.js';

export const isTty = (fd: number): boolean => tty.isatty(fd);

/** The size of the first of stdout, stderr, stdin that is a terminal. */
export function windowSize(): WinSize | undefined {
  for (const s of [process.stdout, process.stderr]) {
    if (s.isTTY) { const [cols, rows] = s.getWindowSize(); return { rows, cols }; }
  }
  return undefined;
}

/** Loaded (off the `pbash -c true` path) by terminalModes, which a terminal session always calls first. */
let childProcess: typeof import('node:child_process') | undefined;

/** The kernel's c_cc length (glibc's struct termios has more; the first NCCS are the kernel's). */
const NCCS = 19;

/**
 * The terminal's modes before we touch them, for the session's pty (as ssh sends them in its pty-req).
 * Node cannot tcgetattr, so they come from GNU `stty -g` (iflag:oflag:cflag:lflag:c_cc..., hex), whose
 * values are Linux's; on other hosts undefined (the pty then keeps Linux's defaults).
 */
export async function terminalModes(): Promise<TerminalModes | undefined> {
  const { spawnSync } = childProcess = await import('node:child_process');
  if (process.platform !== 'linux') return undefined;
  const r = spawnSync('stty', ['-g'], { stdio: ['inherit', 'pipe', 'ignore'], encoding: 'utf8' });
  const f = r.status === 0 ? r.stdout.trim().split(':') : [];
  if (f.length < 4 + NCCS || !f.every((x) => /^[0-9a-f]{1,8}$/i.test(x))) return undefined;
  const n = f.map((x) => parseInt(x, 16));
  return { iflag: n[0], oflag: n[1], cflag: n[2], lflag: n[3], cc: n.slice(4, 4 + NCCS) };
}
let restore: (() => void) | null = null;

/** Switch stdin (a terminal) to raw mode until the process exits. */
export function enterRawMode(): void {
  const stdin = process.stdin as tty.ReadStream;
  if (restore || !stdin.isTTY) return;
  stdin.setRawMode(true);
  // libuv's raw mode keeps output post-processing (ONLCR); the Linux pty already did it, so the host
  // terminal must pass bytes through untouched, as ssh's cfmakeraw does. setRawMode(false) restores the
  // original termios libuv saved, OPOST included. Synchronous: the session's first output may already be
  // queued behind the STARTED frame that brought us here. Without stty, each LF gets an extra CR.
  childProcess?.spawnSync('stty', ['-opost'], { stdio: ['inherit', 'ignore', 'ignore'] });
  restore = () => { try { stdin.setRawMode(false); } catch { /* terminal gone */ } };
  process.once('exit', () => restoreTerminal());
}

export function restoreTerminal(): void {
  const r = restore;
  restore = null;
  r?.();
}

/** Call back with the new size whenever the host terminal is resized. */
export function onResize(cb: (w: WinSize) => void): void {
  process.on('SIGWINCH', () => { const w = windowSize(); if (w) cb(w); });
}
