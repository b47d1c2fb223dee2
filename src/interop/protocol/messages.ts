// The instance protocol's messages (one frame each; framing in frame.ts). Bulk data and flow control are
// binary; requests and replies are small JSON documents, which keeps them easy to extend and to log.
//
// A connection starts with HELLO (client) → WELCOME or REFUSED (daemon), then carries exactly one
// REQUEST: a control operation answered by one REPLY, or `create`, which turns the connection into a
// session: STARTED, then DATA/EOF/ACK/CLOSE on the three standard streams, SIGNAL and RESIZE from the
// client, and finally EXIT from the daemon. `subscribe` is answered by SNAPSHOT frames at its interval
// until the client closes the connection. Image operations (import, export) carry the archive as
// DATA/EOF with ACK credit (stdin toward the daemon, stdout back), PROGRESS frames, then their REPLY.
import { FrameError, encodeFrame, type Frame } from './frame.js';

/** Bumped on any incompatible change; a mismatch is refused at the handshake. */
export const PROTOCOL_VERSION = 1;
const MAGIC = 0x50425348; // "PBSH"

export const T = {
  HELLO: 0x01, WELCOME: 0x02, REFUSED: 0x03,
  REQUEST: 0x10, REPLY: 0x11, STARTED: 0x12,
  /** JSON {phase, done, total?}: how far a long operation (install, import, export) has come. */
  PROGRESS: 0x13,
  /** JSON: one `pbash status` snapshot (status.ts) of a subscription. */
  SNAPSHOT: 0x14,
  /** u8 stream, bytes. */
  DATA: 0x20,
  /** u8 stream: the sender will send no more on it (stdin ended; every Linux writer of stdout closed). */
  EOF: 0x21,
  /** u8 stream, u32 bytes: flow-control credit the receiver of a stream grants its sender. */
  ACK: 0x22,
  /** u8 stream: the reader of an output stream is gone (host EPIPE): Linux writers get EPIPE. */
  CLOSE: 0x23,
  /** u8 signal number (host signal forwarded to the session's process group). */
  SIGNAL: 0x30,
  /** u16 rows, u16 cols. */
  RESIZE: 0x31,
  /** i32 exit status (shell convention), then an optional UTF-8 message for stderr. */
  EXIT: 0x40,
} as const;

export const STDIN = 0, STDOUT = 1, STDERR = 2;
/**
 * Unacknowledged bytes a sender may have in flight per stream: the bound on every buffer in the path.
 * 1 MiB keeps client and daemon both busy on a bulk pipe (256 KiB left each waiting for the other's acks).
 */
export const WINDOW = 1024 * 1024;
/** Largest DATA payload. */
export const DATA_CHUNK = 64 * 1024;

export interface WinSize { rows: number; cols: number; }

/**
 * The host terminal's modes when the session starts (struct termios flags and c_cc, Linux values), so the
 * session's pseudo-terminal starts as the user's terminal was set up, as ssh's pty-req carries them.
 */
export interface TerminalModes { iflag: number; oflag: number; cflag: number; lflag: number; cc: number[]; }

export interface CreateRequest {
  op: 'create';
  /** UTF-8 strings; the daemon turns them into the kernel's byte strings. */
  argv: string[];
  env: string[];
  /** The client's host environment: the instance adds what PBASHENV sends and the host PATH to env (pbashenv.ts). */
  hostEnv?: Record<string, string>;
  /** The caller's host directory (translated by the daemon) and an explicit Linux directory (--cd). */
  hostCwd: string;
  cd?: string;
  user?: string;
  /** A host directory as the root filesystem (--root) or a distro name (-d); neither: the default. */
  root?: string;
  distro?: string;
  /** Whether the client's stdin, stdout, stderr are terminals. */
  tty: [boolean, boolean, boolean];
  winsize?: WinSize;
  /** The host terminal's modes (absent: the pty keeps Linux's defaults). */
  modes?: TerminalModes;
  /** The client's host pid (shown by pbash status). */
  clientPid?: number;
  /** argv[0] for a login shell when the distro's passwd names one (`pbash` with no command). */
  loginShell?: boolean;
}

export type Request =
  | CreateRequest
  | { op: 'status' } | { op: 'subscribe'; intervalMs?: number } | { op: 'list' } | { op: 'shutdown' }
  | { op: 'terminate'; name: string } | { op: 'set-default'; name: string }
  | KillRequest
  | PathRequest
  | ImageRequest;

/** Send a signal to one Linux process of a running distro (the dashboard's `k`); pid 1 is refused. */
export interface KillRequest { op: 'kill'; distro: string; pid: number; signal: number; }

/** `pbash path ARGS`: translated with the distro's host mounts (its pbash.conf), from the caller's host cwd. */
export interface PathRequest { op: 'path'; args: string[]; hostCwd: string; distro?: string; root?: string; }

/** Distro image operations; the archive of import/export travels on the connection (byte-channel.ts). */
export type ImageRequest =
  | { op: 'install'; image: string; name: string }
  | { op: 'import'; name: string; dir: string }
  | { op: 'export'; name: string; format: 'tar' | 'tar.gz' }
  | { op: 'unregister'; name: string; force: boolean }
  | { op: 'fsck'; name: string; repair: boolean; force: boolean };

export const IMAGE_OPS: ReadonlySet<string> = new Set(['install', 'import', 'export', 'unregister', 'fsck']);

export interface Progress { phase: string; done: number; total?: number; }

export interface Reply { ok: boolean; error?: string; [k: string]: unknown; }

export const hello = (token: string): Buffer => {
  const tok = Buffer.from(token, 'utf8');
  const b = Buffer.allocUnsafe(7 + tok.length);
  b.writeUInt32BE(MAGIC, 0);
  b.writeUInt16BE(PROTOCOL_VERSION, 4);
  b[6] = tok.length;
  tok.copy(b, 7);
  return encodeFrame(T.HELLO, b);
};

export function parseHello(f: Frame): { version: number; token: string } {
  const p = f.payload;
  if (f.type !== T.HELLO || p.length < 7 || p.readUInt32BE(0) !== MAGIC) throw new FrameError('malformed', 'no HELLO');
  if (p.length !== 7 + p[6]) throw new FrameError('malformed', 'HELLO token length');
  return { version: p.readUInt16BE(4), token: p.subarray(7).toString('utf8') };
}

export const json = (type: number, value: unknown): Buffer => encodeFrame(type, Buffer.from(JSON.stringify(value)));

export function parseJson<V>(f: Frame): V {
  try { return JSON.parse(f.payload.toString('utf8')) as V; } catch {
    throw new FrameError('malformed', `frame 0x${f.type.toString(16)}: not JSON`);
  }
}

/** A DATA frame: the bytes are copied (they are often a view of guest memory). */
export function data(stream: number, bytes: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(6 + bytes.length);
  dataHead(b, stream, bytes.length);
  b.set(bytes, 6);
  return b;
}

/** The head of a DATA frame of n bytes, to be sent followed by bytes nobody will change (no copy). */
export const dataHeader = (stream: number, n: number): Buffer => dataHead(Buffer.allocUnsafe(6), stream, n);

function dataHead(b: Buffer, stream: number, n: number): Buffer {
  b.writeUInt32BE(2 + n, 0);
  b[4] = T.DATA;
  b[5] = stream;
  return b;
}

export const streamOnly = (type: number, stream: number): Buffer => encodeFrame(type, Uint8Array.of(stream));

export function ack(stream: number, n: number): Buffer {
  const p = Buffer.allocUnsafe(5);
  p[0] = stream;
  p.writeUInt32BE(n, 1);
  return encodeFrame(T.ACK, p);
}

export const signal = (sig: number): Buffer => encodeFrame(T.SIGNAL, Uint8Array.of(sig));

export function resize(w: WinSize): Buffer {
  const p = Buffer.allocUnsafe(4);
  p.writeUInt16BE(Math.min(w.rows, 0xffff), 0);
  p.writeUInt16BE(Math.min(w.cols, 0xffff), 2);
  return encodeFrame(T.RESIZE, p);
}

export function exit(code: number, message = ''): Buffer {
  const m = Buffer.from(message, 'utf8');
  const p = Buffer.allocUnsafe(4 + m.length);
  p.writeInt32BE(code, 0);
  m.copy(p, 4);
  return encodeFrame(T.EXIT, p);
}

/** Check a fixed-size payload and its stream byte; returns the stream. */
export function expectStream(f: Frame, size: number): number {
  if (f.payload.length !== size && !(f.type === T.DATA && f.payload.length >= 1)) {
    throw new FrameError('malformed', `frame 0x${f.type.toString(16)}: payload of ${f.payload.length} bytes`);
  }
  const s = f.payload[0];
  if (s > STDERR) throw new FrameError('malformed', `stream ${s}`);
  return s;
}

export const ackBytes = (f: Frame): number => { expectStream(f, 5); return f.payload.readUInt32BE(1); };

export function parseResize(f: Frame): WinSize {
  if (f.payload.length !== 4) throw new FrameError('malformed', 'RESIZE payload');
  return { rows: f.payload.readUInt16BE(0), cols: f.payload.readUInt16BE(2) };
}

export function parseExit(f: Frame): { code: number; message: string } {
  if (f.payload.length < 4) throw new FrameError('malformed', 'EXIT payload');
  return { code: f.payload.readInt32BE(0), message: f.payload.subarray(4).toString('utf8') };
}
