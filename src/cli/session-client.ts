// The client side of a session: the request to create the process (it goes out with the handshake), then
// the relay. Output frames are written to our stdout/stderr and acknowledged once written (so a slow reader
// of ours stalls the Linux writer, not our memory); stdin is read only within the credit the instance grants
// (none until a Linux process reads it). Host signals are forwarded; the Linux exit status becomes ours.
import type { Readable, Writable } from 'node:stream';
import type { FramedConnection } from '../interop/protocol/connection.js';
import type { Frame } from '../interop/protocol/frame.js';
import * as M from '../interop/protocol/messages.js';
import { enterRawMode, isTty, onResize, terminalModes, windowSize } from './host-terminal.js';

export type SessionEnd = { code: number; message?: string } | { lost: true };

const FORWARD = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 } as const;

/** The `create` request frame: the process, and what our stdin/stdout/stderr are (terminals, size, modes). */
export async function createRequest(req: Omit<M.CreateRequest, 'op' | 'tty' | 'winsize' | 'modes' | 'clientPid'>): Promise<Buffer> {
  const tty: [boolean, boolean, boolean] = [isTty(0), isTty(1), isTty(2)];
  const modes = tty[0] && tty[1] ? await terminalModes() : undefined;
  return M.json(M.T.REQUEST, { op: 'create', ...req, clientPid: process.pid, tty, winsize: windowSize(), modes });
}

/** Relay the session whose create request went out on `conn` until its exit status arrives. */
export function runSession(conn: FramedConnection): Promise<SessionEnd> {
  return new Promise((resolve) => {
    const outs: Writable[] = [process.stdout, process.stderr];
    const broken = [false, false];
    let pendingWrites = 0;
    let exit: SessionEnd | null = null;
    const finishIfDone = (): void => { if (exit && pendingWrites === 0) resolve(exit); };

    // stdin, pumped within the granted credit
    let credit = 0;
    let stdin: Readable | null = null;
    let held: Buffer | null = null;
    let stdinEnded = false;
    const pump = (): void => {
      while (held && credit > 0) {
        const n = Math.min(held.length, credit, M.DATA_CHUNK);
        conn.send(M.dataHeader(M.STDIN, n), held.subarray(0, n)); // stdin's chunks are ours: no copy
        credit -= n;
        held = n === held.length ? null : held.subarray(n);
      }
      if (held) { stdin?.pause(); return; }
      if (stdinEnded) { conn.send(M.streamOnly(M.T.EOF, M.STDIN)); stdinEnded = false; stdin = null; return; }
      stdin?.resume();
    };
    const startStdin = (): void => {
      const s = stdin = process.stdin;
      s.on('data', (b: Buffer) => { held = held ? Buffer.concat([held, b]) : b; pump(); });
      s.on('end', () => { stdinEnded = true; pump(); });
      s.on('error', () => { stdinEnded = true; pump(); });
    };

    const write = (stream: number, bytes: Buffer): void => {
      const i = stream - 1;
      if (broken[i]) return;
      pendingWrites++;
      outs[i].write(bytes, (e) => {
        pendingWrites--;
        if (e) {
          if (!broken[i]) { broken[i] = true; conn.send(M.streamOnly(M.T.CLOSE, stream)); }
        } else conn.send(M.ack(stream, bytes.length));
        finishIfDone();
      });
    };
    for (const [i, o] of outs.entries()) o.on('error', () => {
      if (!broken[i]) { broken[i] = true; conn.send(M.streamOnly(M.T.CLOSE, i + 1)); }
    });

    conn.handlers = {
      frame: (f: Frame) => {
        switch (f.type) {
          case M.T.DATA: return write(M.expectStream(f, 0), f.payload.subarray(1));
          case M.T.ACK: {
            credit += M.ackBytes(f);
            if (!stdin && !held && credit > 0 && exit === null) startStdin();
            return pump();
          }
          case M.T.STARTED: {
            if (M.parseJson<{ terminal: boolean }>(f).terminal) enterRawMode();
            return;
          }
          case M.T.EOF: return; // every Linux writer closed this stream; we simply stop getting data
          case M.T.EXIT: {
            const e = M.parseExit(f);
            exit = { code: e.code, message: e.message || undefined };
            stdin?.pause();
            return finishIfDone();
          }
        }
      },
      error: () => { /* reported as a lost connection by close */ },
      close: () => { if (!exit) { exit = { lost: true }; pendingWrites = 0; finishIfDone(); } },
    };

    for (const [name, sig] of Object.entries(FORWARD)) process.on(name, () => conn.send(M.signal(sig)));
    onResize((w) => conn.send(M.resize(w)));
  });
}
