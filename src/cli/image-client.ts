// The client side of an image operation: send the request, stream the archive (stdin or a file toward the
// instance for import; the instance's bytes to stdout or a file for export) with the channel's credit flow
// control, draw PROGRESS on a terminal (quiet when stderr is not one), and return the REPLY.
import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { ByteChannel } from '../interop/byte-channel.js';
import type { Connected } from '../interop/instance-client.js';
import * as M from '../interop/protocol/messages.js';

export interface ImageIo {
  /** The archive to send (import). */
  input?: Readable;
  /** Where the archive goes (export). */
  output?: Writable;
}

export function runImageOp(c: Connected, req: M.ImageRequest, io: ImageIo): Promise<M.Reply> {
  const { conn } = c;
  const chan = new ByteChannel(conn, M.STDOUT, M.STDIN);
  const bar = progressLine();
  return new Promise((resolve, reject) => {
    let reply: M.Reply | null = null;
    let writing = Promise.resolve();
    const done = (r: M.Reply): void => { bar.clear(); resolve(r); };
    conn.handlers = {
      frame: (f) => {
        if (f.type === M.T.REPLY) { reply = M.parseJson<M.Reply>(f); void writing.then(() => done(reply!)); conn.end(); return; }
        if (f.type === M.T.PROGRESS) { bar.show(M.parseJson<M.Progress>(f)); return; }
        if (!chan.frame(f)) reject(new Error(`unexpected frame 0x${f.type.toString(16)}`));
      },
      error: (e) => { bar.clear(); reject(e); },
      close: () => { chan.fail(new Error('the instance closed the connection')); if (!reply) { bar.clear(); reject(new Error('the instance closed the connection')); } },
    };
    conn.send(M.json(M.T.REQUEST, req));
    if (io.input) {
      void (async () => {
        try {
          for await (const b of io.input!) await chan.write(b as Buffer);
          chan.end();
        } catch { /* the instance ended the operation: its REPLY says why */ }
      })();
    }
    if (io.output) {
      const out = io.output;
      writing = (async () => {
        for await (const b of chan.input()) if (!out.write(b)) await new Promise((r) => out.once('drain', r));
        // stdout stays open, but what is still queued in it must be written before we exit
        await new Promise<void>((r) => (out === process.stdout ? out.write(Buffer.alloc(0), () => r()) : out.end(r)));
      })().catch(() => { /* reported by the reply or the close */ });
    }
  });
}

/** One self-rewriting line on a terminal's stderr; nothing when stderr is a pipe or a file. */
function progressLine(): { show(p: M.Progress): void; clear(): void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  let last = 0;
  return {
    show(p) {
      if (!tty || Date.now() - last < 100) return;
      last = Date.now();
      const text = p.done ? `${p.phase}: ${(p.done / 1048576).toFixed(1)} MiB` : p.phase;
      process.stderr.write(`\r\x1b[K${text.slice(0, Math.max(10, (process.stderr.columns ?? 80) - 1))}`);
      shown = true;
    },
    clear() { if (shown) process.stderr.write('\r\x1b[K'); shown = false; },
  };
}

export function openInput(file: string): Readable {
  return file === '-' ? process.stdin : fs.createReadStream(file);
}

export function openOutput(file: string): Writable {
  return file === '-' ? process.stdout : fs.createWriteStream(file, { flags: 'w', mode: 0o644 });
}
