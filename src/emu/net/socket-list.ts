// The sockets of the instance's one network namespace, as the kernel's socket hash tables hold them for the
// /proc/net listings (unix_seq_*, tcp4_seq_*, udp_seq_*): a socket is in from creation to its release.
import type { OpenFile } from '../fs/file.js';

export class SocketList<S extends OpenFile> {
  private readonly sockets = new Set<S>();

  /** `gone` tells a socket released without a last close (a connection never accepted, reset by its listener). */
  constructor(private readonly gone: (s: S) => boolean = () => false) {}

  add(s: S): S {
    this.sockets.add(s);
    s.onRelease(() => this.sockets.delete(s));
    return s;
  }

  /** The live sockets in creation order. */
  list(): S[] {
    for (const s of this.sockets) if (this.gone(s)) this.sockets.delete(s);
    return [...this.sockets];
  }
}
