// An inotify instance (fs/notify/inotify/inotify_user.c): its watches (one per inode, numbered from 1) and its
// queue of struct inotify_event records, read whole, with identical consecutive events merged and
// IN_Q_OVERFLOW once the queue is full.
import { E, err } from '../../kernel/errno.js';
import { waitOn } from '../../kernel/wait-queue.js';
import { AnonInodeFile } from '../anon-inode.js';
import { POLL, type IoResult } from '../file.js';
import { IN, IN_ALL_EVENTS, type Mark, addMark, removeMark } from './fsnotify.js';

/** /proc/sys/fs/inotify/max_queued_events's default. */
export const MAX_QUEUED_EVENTS = 16384;
const EVENT_SIZE = 16;

interface QueuedEvent { wd: number; mask: number; cookie: number; name: string | null; }

/** struct inotify_event's size with its name NUL-padded to a multiple of the header's size (round_event_name_len). */
const nameLen = (e: QueuedEvent): number => (e.name === null ? 0 : Math.ceil((e.name.length + 1) / EVENT_SIZE) * EVENT_SIZE);
const sizeOf = (e: QueuedEvent): number => EVENT_SIZE + nameLen(e);

class Watch implements Mark {
  constructor(readonly owner: InotifyFile, readonly wd: number, readonly key: string, public mask: number) {}

  deliver(mask: number, name: string | null, cookie: number): void {
    // inotify never reported IN_ISDIR with the *_SELF events (inotify_handle_inode_event)
    if (mask & (IN.MOVE_SELF | IN.DELETE_SELF)) mask &= ~IN.ISDIR;
    this.owner.queueEvent({ wd: this.wd, mask, cookie, name });
    if (this.mask & IN.ONESHOT) this.owner.removeWatch(this);
  }

  inodeGone(): void { this.owner.removeWatch(this); }
}

export class InotifyFile extends AnonInodeFile {
  private readonly events: QueuedEvent[] = [];
  private bytes = 0;
  private readonly byWd = new Map<number, Watch>();
  private readonly byKey = new Map<string, Watch>();
  private nextWd = 1;
  private overflowQueued = false;

  constructor(flags: number) { super(flags, 'inotify'); }

  /** inotify_add_watch on the inode `key`: a new wd, or the inode's existing one with its mask replaced or extended. */
  addWatch(key: string, mask: number): number {
    const w = this.byKey.get(key);
    const events = mask & (IN_ALL_EVENTS | IN.EXCL_UNLINK | IN.ONESHOT);
    if (w) {
      if (mask & IN.MASK_CREATE) throw err(E.EEXIST);
      w.mask = mask & IN.MASK_ADD ? w.mask | events : events;
      return w.wd;
    }
    const nw = new Watch(this, this.nextWd++, key, events);
    this.byWd.set(nw.wd, nw);
    this.byKey.set(key, nw);
    addMark(key, nw);
    return nw.wd;
  }

  /** inotify_rm_watch: EINVAL for an unknown wd. */
  rmWatch(wd: number): void {
    const w = this.byWd.get(wd);
    if (!w) throw err(E.EINVAL);
    this.removeWatch(w);
  }

  /** A watch ends (removed, oneshot fired, inode gone): IN_IGNORED tells the reader. */
  removeWatch(w: Watch): void {
    if (this.byWd.get(w.wd) !== w) return;
    this.byWd.delete(w.wd);
    this.byKey.delete(w.key);
    removeMark(w.key, w);
    this.queueEvent({ wd: w.wd, mask: IN.IGNORED, cookie: 0, name: null });
  }

  /**
   * fsnotify_add_event with inotify_merge: an event equal to the last one queued is dropped; a full queue
   * takes one IN_Q_OVERFLOW (wd -1) and nothing more while that one is queued.
   */
  queueEvent(e: QueuedEvent): void {
    const last = this.events[this.events.length - 1];
    if (this.events.length >= MAX_QUEUED_EVENTS) {
      if (this.overflowQueued) return;
      this.overflowQueued = true;
      e = { wd: -1, mask: IN.Q_OVERFLOW, cookie: 0, name: null };
    } else if (last && last.wd === e.wd && last.mask === e.mask && last.cookie === e.cookie && last.name === e.name) return;
    this.events.push(e);
    this.bytes += sizeOf(e);
    this.queue.notify();
  }

  override available(): number { return this.bytes; }
  override pollMask(): number { return this.events.length > 0 ? POLL.IN | POLL.RDNORM : 0; }

  /** Whole events while they fit (EINVAL when not even the first does); waits for one unless O_NONBLOCK. */
  override read(buf: Uint8Array): IoResult {
    const attempt = (): number | null => {
      if (this.events.length === 0) return null;
      let off = 0;
      while (this.events.length > 0) {
        const e = this.events[0]!;
        const size = sizeOf(e);
        if (off + size > buf.length) {
          if (off === 0) throw err(E.EINVAL);
          break;
        }
        const dv = new DataView(buf.buffer, buf.byteOffset + off, size);
        dv.setInt32(0, e.wd, true);
        dv.setUint32(4, e.mask >>> 0, true);
        dv.setUint32(8, e.cookie, true);
        dv.setUint32(12, nameLen(e), true);
        buf.fill(0, off + EVENT_SIZE, off + size);
        if (e.name !== null) buf.set(Buffer.from(e.name, 'latin1'), off + EVENT_SIZE);
        off += size;
        this.events.shift();
        this.bytes -= size;
        if (e.mask === IN.Q_OVERFLOW) this.overflowQueued = false;
      }
      return off;
    };
    const now = attempt();
    if (now !== null) return now;
    if (this.nonblocking) throw err(E.EAGAIN);
    return waitOn([this.queue], attempt);
  }

  /** Closing the instance drops its watches without events. */
  protected override release(): void {
    for (const w of this.byWd.values()) removeMark(w.key, w);
    this.byWd.clear();
    this.byKey.clear();
  }
}
