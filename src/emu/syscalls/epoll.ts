// epoll_create(2), epoll_create1(2), epoll_ctl(2), epoll_wait(2), epoll_pwait(2), epoll_pwait2(2).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { O } from '../fs/constants.js';
import { EpollFile, EPOLL, type EpollEvent } from '../fs/epoll.js';
import { sys, type SyscallDef } from './types.js';
import { readTimespec, struct } from './abi.js';
import { withSigmask } from './poll-sigmask.js';

const CTL = { ADD: 1, DEL: 2, MOD: 3 } as const;
/** struct epoll_event is packed on x86-64: u32 events, u64 data. */
const EVENT_SIZE = 12;
const TASK_SIZE = 0x7ffffffff000;
const EP_MAX_EVENTS = Math.floor(0x7fffffff / EVENT_SIZE);
const EXCLUSIVE_OK = EPOLL.IN | EPOLL.OUT | EPOLL.ERR | EPOLL.HUP | EPOLL.WAKEUP | EPOLL.ET | EPOLL.EXCLUSIVE;

function create(t: Task, cloexec: boolean): number {
  return t.files.install(() => new EpollFile(O.RDWR), cloexec);
}

function epollOf(t: Task, fd: number): EpollFile {
  const f = t.files.get(fd);
  if (!(f instanceof EpollFile)) throw err(E.EINVAL);
  return f;
}

// epoll_ctl(2), in do_epoll_ctl's order of checks
function ctl(t: Task, epfd: number, op: number, fd: number, evp: number): number {
  let events = 0, data = 0n;
  if (op !== CTL.DEL) {
    const s = struct(EVENT_SIZE);
    s.u8.set(t.mem.read(evp, EVENT_SIZE));
    events = s.dv.getUint32(0, true);
    data = s.dv.getBigUint64(4, true);
  }
  const ef = t.files.get(epfd);
  const tf = t.files.get(fd);
  if (!tf.pollQueue) throw err(E.EPERM); // no poll method: regular files, directories
  if (ef === tf || !(ef instanceof EpollFile)) throw err(E.EINVAL);
  if (op !== CTL.DEL && events & EPOLL.EXCLUSIVE) {
    if (op === CTL.MOD) throw err(E.EINVAL);
    if (op === CTL.ADD && (tf instanceof EpollFile || events & ~EXCLUSIVE_OK)) throw err(E.EINVAL);
  }
  switch (op) {
    case CTL.ADD: ef.add(fd, tf, events, data); return 0;
    case CTL.MOD: ef.modify(fd, tf, events, data); return 0;
    case CTL.DEL: ef.delete(fd, tf); return 0;
    default: throw err(E.EINVAL);
  }
}

/** do_epoll_wait: EINVAL for maxevents, EFAULT for a buffer beyond user space, then the fd. */
function wait(t: Task, epfd: number, evp: number, max: number, timeoutMs: number | undefined): number | Promise<number> {
  if (max <= 0 || max > EP_MAX_EVENTS) throw err(E.EINVAL);
  if (evp + max * EVENT_SIZE > TASK_SIZE) throw err(E.EFAULT); // access_ok: a range check; faults come at the copy
  const ep = epollOf(t, epfd);
  const write = (evs: EpollEvent[]): number => {
    const s = struct(evs.length * EVENT_SIZE);
    evs.forEach((e, i) => { s.dv.setUint32(i * EVENT_SIZE, e.events, true); s.dv.setBigUint64(i * EVENT_SIZE + 4, e.data, true); });
    if (evs.length) t.mem.write(evp, s.u8);
    return evs.length;
  };
  const r = ep.wait(max, timeoutMs);
  return Array.isArray(r) ? write(r) : r.then(write);
}

const msTimeout = (ms: number): number | undefined => (ms < 0 ? undefined : ms);

export const epollSyscalls: SyscallDef[] = [
  sys(213, 'epoll_create', ['int'], (t, size) => { if (size <= 0) throw err(E.EINVAL); return create(t, false); }),
  sys(291, 'epoll_create1', ['flags'], (t, flags) => {
    if (flags & ~O.CLOEXEC) throw err(E.EINVAL);
    return create(t, (flags & O.CLOEXEC) !== 0);
  }),
  sys(233, 'epoll_ctl', ['fd', 'int', 'fd', 'ptr'], ctl),
  sys(232, 'epoll_wait', ['fd', 'ptr', 'int', 'int'], (t, epfd, evp, max, ms) => wait(t, epfd, evp, max, msTimeout(ms))),
  sys(281, 'epoll_pwait', ['fd', 'ptr', 'int', 'int', 'ptr', 'size'], (t, epfd, evp, max, ms, mask, size) =>
    withSigmask(t, mask, size, () => wait(t, epfd, evp, max, msTimeout(ms)))),
  sys(441, 'epoll_pwait2', ['fd', 'ptr', 'int', 'ptr', 'ptr', 'size'], (t, epfd, evp, max, tsp, mask, size) => {
    const ms = tsp ? Math.ceil(Number(readTimespec(t.mem, tsp)) / 1e6) : undefined;
    return withSigmask(t, mask, size, () => wait(t, epfd, evp, max, ms));
  }),
];
