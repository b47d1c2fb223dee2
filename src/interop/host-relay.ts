// Relays between a host program's stdio and the guest's files (interop proxy processes), with
// backpressure both ways: a chunk is taken from one side only once the previous one was accepted by the
// other, so nothing is ever buffered beyond one chunk per direction.
import type { Readable, Writable } from 'node:stream';
import type { GuestStream } from '../emu/kernel/host-launcher.js';

const CHUNK = 65536;

/**
 * Guest → host stdin until the guest's EOF, then end the host pipe (the program reads EOF). When the host
 * program closes its stdin (EPIPE) or is gone, the relay stops reading the guest.
 */
export async function feedHost(src: GuestStream, dst: Writable): Promise<void> {
  let open = true;
  const stop = (): void => { open = false; src.close(); };
  dst.on('error', stop);
  dst.on('close', stop);
  try {
    while (open) {
      const buf = Buffer.allocUnsafe(CHUNK); // fresh: the host pipe may still hold the previous one
      const n = await src.read(buf);
      if (n === 0 || !open) break;
      if (!dst.write(buf.subarray(0, n))) {
        await new Promise<void>((r) => { dst.once('drain', r); dst.once('close', r); });
      }
    }
  } catch { /* the guest file failed: the host program sees EOF */ }
  dst.end();
  src.close();
}

/**
 * Host stdout/stderr → guest until the host's EOF. When the guest's reader is gone (EPIPE), `broken` runs
 * and the host pipe closes. (Node's child pipes are socket pairs: closing one with unread bytes gives the
 * writer ECONNRESET, never the SIGPIPE a Linux pipe gives, so `broken` sends that signal itself.)
 */
export async function drainHost(src: Readable, dst: GuestStream, broken: () => void): Promise<void> {
  try {
    for await (const chunk of src) {
      // the signal first: leaving the loop destroys the host pipe, and the program must not see that first
      try { await dst.write(chunk as Buffer); } catch (e) { broken(); throw e; }
    }
  } catch {
    src.destroy();
  } finally {
    dst.close();
  }
}
