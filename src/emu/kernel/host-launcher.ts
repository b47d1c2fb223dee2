// What the kernel needs from whoever starts host programs (interop): the instance injects a launcher
// (src/interop/host-launcher.ts) through KernelOptions.hostLauncher; without one, interop is off and an
// execve of a host program fails with ENOEXEC. Signals cross this line by name ("SIGTERM"), which both
// sides understand whatever the host's numbering.

/** One of the guest's standard fds as the host program's stdio: bytes in order, EOF as a 0-byte read. */
export interface GuestStream {
  /** Up to buf.length bytes from the guest file; 0 at its end (or once closed). */
  read(buf: Uint8Array): Promise<number>;
  /** All of `data` into the guest file (it waits while the file is full); rejects with EPIPE and the like. */
  write(data: Uint8Array): Promise<void>;
  /** The host side is done with this stream (its end closed, or the program gone). */
  close(): void;
}

/** A guest fd as host stdio: a relayed stream, or 'null' (the guest's /dev/null, or a closed fd). */
export type HostStdio = GuestStream | 'null';

/** The terminal a host program gets when the guest's stdio is one: its size now, and its resizes. */
export interface GuestTerminal {
  cols: number;
  rows: number;
}

export interface HostLaunch {
  /** Absolute host path of the program. */
  file: string;
  /** argv as the guest passed it (argv[0] included), host strings. */
  argv: string[];
  /** The guest environment ("NAME=value"), translated by the launcher. */
  env: string[];
  /** Host working directory; null: the host user's home. */
  cwd: string | null;
  stdio: [HostStdio, HostStdio, HostStdio];
  /** Set when the guest's stdio is a terminal: the host program runs on a host pseudo-terminal. */
  terminal: GuestTerminal | null;
}

/** How the host program ended: an exit code, or the host name of the signal that killed it. */
export type HostExit = { code: number } | { signal: string };

export interface HostChild {
  /** Host process id (telemetry). */
  readonly pid: number;
  /** Send a signal by name; the launcher maps it to the host's nearest. */
  kill(signal: string): void;
  /** The terminal's window changed (SIGWINCH): resize the host pseudo-terminal. */
  resize(cols: number, rows: number): void;
  /** Settles once the program has exited and its stdout and stderr are relayed to their end. */
  readonly done: Promise<HostExit>;
}

export interface HostLauncher {
  /**
   * Start the program. The launcher closes each GuestStream once it is done with it (the program's stdin
   * closed or the program gone; its output relayed to the end), also one it does not use. Throws an Error with a host `code` ('ENOENT', 'EACCES'...) when it cannot be
   * started; the kernel turns it into execve's errno.
   */
  launch(req: HostLaunch): HostChild;
}
