// epoll instances (fs/eventpoll.c): an interest list keyed by (file, fd), and a ready list fed by callbacks
// on the files' wait queues (ep_poll_callback). Level-triggered items go back on the ready list after being
// reported; EPOLLET items only come back with a new wake-up; EPOLLONESHOT items are disabled until MOD.
import { E, err } from '../kernel/errno.js';
import { waitOn } from '../kernel/wait-queue.js';
import { AnonInodeFile } from './anon-inode.js';
import { POLL, type OpenFile } from './file.js';

export const EPOLL = {
  IN: 0x1, OUT: 0x4, ERR: 0x8, HUP: 0x10,
  EXCLUSIVE: 1 << 28, WAKEUP: 1 << 29, ONESHOT: 1 << 30, ET: 0x80000000,
} as const;
/** Bits that are flags of the item, never events (EP_PRIVATE_BITS). */
export const EP_PRIVATE_BITS = EPOLL.WAKEUP | EPOLL.ONESHOT | EPOLL.ET | EPOLL.EXCLUSIVE;
/** How deep epoll instances may nest (EP_MAX_NESTS). */
const EP_MAX_NESTS = 4;

export interface EpollEvent { events: number; data: bigint; }

class EpItem {
  readonly wake: () => void;
  dropRelease: () => void = () => {};
  constructor(readonly ep: EpollFile, readonly fd: number, readonly file: OpenFile, public events: number, public data: bigint) {
    this.wake = () => ep.callback(this);
  }
  /** ep_item_poll: the events of interest that are ready now. */
  poll(): number { return (this.file.pollMask(this.events) & this.events) >>> 0; }
}

export class EpollFile extends AnonInodeFile {
  private readonly items = new Map<OpenFile, Map<number, EpItem>>();
  /** The ready list, in the order items became ready (a Set keeps insertion order). */
  private readonly rdlist = new Set<EpItem>();

  constructor(flags: number) { super(flags, 'eventpoll'); }

  private find(file: OpenFile, fd: number): EpItem | undefined { return this.items.get(file)?.get(fd); }

  /** ep_poll_callback: a watched file's readiness may have changed. */
  callback(item: EpItem): void {
    if (!(item.events & ~EP_PRIVATE_BITS)) return; // a disabled EPOLLONESHOT item
    this.rdlist.add(item);
    this.queue.notify();
  }

  /** EPOLL_CTL_ADD (ep_insert): EEXIST when (file, fd) is already there, ELOOP for cycles or too deep nesting. */
  add(fd: number, file: OpenFile, events: number, data: bigint): void {
    if (this.find(file, fd)) throw err(E.EEXIST);
    if (file instanceof EpollFile && (file.reaches(this) || file.depth() >= EP_MAX_NESTS)) throw err(E.ELOOP);
    const item = new EpItem(this, fd, file, (events | EPOLL.ERR | EPOLL.HUP) >>> 0, data);
    let byFd = this.items.get(file);
    if (!byFd) this.items.set(file, (byFd = new Map()));
    byFd.set(fd, item);
    file.pollQueue!.watch(item.wake);
    item.dropRelease = file.onRelease(() => this.remove(item));
    if (item.poll()) { this.rdlist.add(item); this.queue.notify(); }
  }

  /** EPOLL_CTL_MOD (ep_modify): new events and data; ready now means back on the ready list. */
  modify(fd: number, file: OpenFile, events: number, data: bigint): void {
    const item = this.find(file, fd);
    if (!item) throw err(E.ENOENT);
    if (item.events & EPOLL.EXCLUSIVE) throw err(E.EINVAL);
    item.events = (events | EPOLL.ERR | EPOLL.HUP) >>> 0;
    item.data = data;
    if (item.poll()) { this.rdlist.add(item); this.queue.notify(); }
  }

  /** EPOLL_CTL_DEL (ep_remove). */
  delete(fd: number, file: OpenFile): void {
    const item = this.find(file, fd);
    if (!item) throw err(E.ENOENT);
    this.remove(item);
  }

  private remove(item: EpItem): void {
    const byFd = this.items.get(item.file);
    byFd?.delete(item.fd);
    if (byFd?.size === 0) this.items.delete(item.file);
    item.file.pollQueue?.unwatch(item.wake);
    item.dropRelease();
    this.rdlist.delete(item);
  }

  /** ep_send_events: take up to `max` ready items, re-queueing level-triggered ones at the tail. */
  collect(max: number): EpollEvent[] {
    const out: EpollEvent[] = [];
    for (const item of [...this.rdlist]) {
      if (out.length >= max) break;
      this.rdlist.delete(item);
      const revents = item.poll();
      if (!revents) continue;
      out.push({ events: revents, data: item.data });
      if (item.events & EPOLL.ONESHOT) item.events &= EP_PRIVATE_BITS;
      else if (!(item.events & EPOLL.ET)) this.rdlist.add(item);
    }
    return out;
  }

  /** epoll_wait: events now, or after waiting (timeoutMs: undefined forever, 0 none); EINTR on a signal. */
  wait(max: number, timeoutMs: number | undefined): EpollEvent[] | Promise<EpollEvent[]> {
    let got: EpollEvent[] = [];
    const attempt = (): number | null => { got = this.collect(max); return got.length ? got.length : null; };
    if (attempt() !== null || timeoutMs === 0) return got;
    return Promise.resolve(waitOn([this.queue], attempt, { timeoutMs, onTimeout: () => attempt() ?? 0, interruptErrno: E.EINTR })).then(() => got);
  }

  /** An epoll fd is readable when some item on its ready list is ready (ep_eventpoll_poll). */
  override pollMask(): number {
    for (const item of this.rdlist) if (item.poll()) return POLL.IN | POLL.RDNORM;
    return 0;
  }

  /** Does this instance (or one nested in it) watch `ep`? */
  reaches(ep: EpollFile): boolean {
    for (const f of this.items.keys()) if (f === ep || (f instanceof EpollFile && f.reaches(ep))) return true;
    return false;
  }

  /** Levels of epoll instances nested below this one. */
  depth(): number {
    let d = 0;
    for (const f of this.items.keys()) if (f instanceof EpollFile) d = Math.max(d, f.depth() + 1);
    return d;
  }

  protected override release(): void {
    for (const byFd of [...this.items.values()]) for (const item of [...byFd.values()]) this.remove(item);
  }
}
