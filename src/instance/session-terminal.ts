// The seam where a terminal session gets a pseudo-terminal. When the client's stdin/stdout are terminals
// the session should run on a pty pair whose master side is fed by the session streams (input: the
// client's keystrokes; output: the screen), with the line discipline in the kernel (src/emu/fs/tty/,
// being built by the tty layer). Until that layer exports createSessionTerminal, terminal sessions run on
// the plain session streams, like pipes, and the client keeps its terminal in cooked mode (the STARTED
// reply says terminal: false), so line editing and ^C still work through the host's own terminal.
import type { OpenFile } from '../emu/fs/file.js';
import type { WinSize } from '../interop/protocol/messages.js';
import type { SessionInput, SessionOutput } from './session-stream.js';

export interface SessionTerminal {
  /** The files the session's first process gets for the streams that are terminals (the pty slave). */
  slave: OpenFile;
  /** TIOCSWINSZ from the host side: records the size and sends SIGWINCH to the foreground group. */
  resize(size: WinSize): void;
  /** The client is gone: hang up (SIGHUP to the session's foreground group, EIO/EOF to readers). */
  hangup(): void;
}

/** A terminal for this session, or null while the tty layer is not available. */
export function createTerminal(_input: SessionInput, _output: SessionOutput, _size: WinSize): SessionTerminal | null {
  return null;
}
