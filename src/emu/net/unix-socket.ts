// AF_UNIX sockets (unix(7)), first part: sockets can be created and connected to a path; with no listening
// socket in the instance yet (bind/listen/accept come with the Processes work), connect finds nobody:
// ENOENT for a missing path, ECONNREFUSED otherwise — exactly what a Linux without the server answers.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { O, S_IFSOCK } from '../fs/constants.js';
import { OpenFile, POLL } from '../fs/file.js';
import { WaitQueue } from '../kernel/wait-queue.js';
import { type Stat, synthStat } from '../fs/stat.js';

export const AF_UNIX = 1;
export const SOCK = { STREAM: 1, DGRAM: 2, SEQPACKET: 5, NONBLOCK: O.NONBLOCK, CLOEXEC: O.CLOEXEC, TYPE_MASK: 0xf } as const;
const SOCKFS_DEV = 0x08;
let nextIno = 30000;

export class UnixSocket extends OpenFile {
  private readonly ino = nextIno++;
  constructor(readonly type: number, flags: number) { super(O.RDWR | (flags & O.NONBLOCK)); }

  override get stream(): boolean { return true; }
  stat(): Stat { return synthStat(SOCKFS_DEV, this.ino, S_IFSOCK | 0o777); }
  override anonName(): string { return `socket:[${this.ino}]`; }
  override read(): number { throw err(E.ENOTCONN); }
  /** Notified when the socket's state changes (nothing changes it yet: no peers). */
  private readonly queue = new WaitQueue();
  override get pollQueue(): WaitQueue { return this.queue; }
  /** unix_poll/unix_dgram_poll for an unconnected socket: writable; a stream socket in TCP_CLOSE is also POLLHUP. */
  override pollMask(): number {
    return POLL.OUT | POLL.WRNORM | POLL.WRBAND | (this.type === SOCK.DGRAM ? 0 : POLL.HUP);
  }
  override write(): number { throw err(this.type === SOCK.DGRAM ? E.EDESTADDRREQ : E.ENOTCONN); }

  /** connect(2) to a sockaddr_un: the path is looked up in the caller's tree; nobody listens yet. */
  connect(t: Task, addr: Uint8Array): never {
    if (addr.length < 2 || (addr[0] | (addr[1] << 8)) !== AF_UNIX) throw err(E.EINVAL);
    const raw = addr.subarray(2);
    if (raw.length === 0) throw err(E.EINVAL);
    if (raw[0] === 0) throw err(E.ECONNREFUSED); // abstract namespace: no socket bound there
    const end = raw.indexOf(0);
    const path = Buffer.from(end < 0 ? raw : raw.subarray(0, end)).toString('latin1');
    t.kernel.vfs.lookup(t, path); // ENOENT, ENOTDIR, EACCES... as the path walk finds them
    throw err(E.ECONNREFUSED); // the file exists, but no socket of this instance listens on it
  }
}
