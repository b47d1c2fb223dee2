// poll(2), ppoll(2), select(2), pselect6(2) (fs/select.c): readiness from each file's pollMask(), waiting on
// their wait queues; the timeouts of select/pselect6/ppoll are updated with the time left, as Linux does.
import type { Task } from '../kernel/task.js';
import { E, LinuxError, err } from '../kernel/errno.js';
import { monotonicNs } from '../kernel/clock.js';
import { RLIMIT } from '../kernel/rlimits.js';
import { ERESTART_RESTARTBLOCK, ERESTARTNOHAND } from '../kernel/wait-queue.js';
import { POLL } from '../fs/file.js';
import { pollWait, type PollEntry } from '../fs/poll-wait.js';
import { sys, type SyscallDef } from './types.js';
import { NS_PER_SEC, readTimespec, struct, writeTimespec, writeTimeval } from './abi.js';
import { signalPending, withSigmask } from './poll-sigmask.js';

const POLLIN_SET = POLL.RDNORM | POLL.RDBAND | POLL.IN | POLL.HUP | POLL.ERR;
const POLLOUT_SET = POLL.WRBAND | POLL.WRNORM | POLL.OUT | POLL.ERR;
const POLLEX_SET = POLL.PRI;

/** A wait's end: the deadline on the monotonic clock, so the time left can be written back. */
interface Timeout { ns: bigint | null; deadline: bigint; }
const timeoutOf = (ns: bigint | null): Timeout => ({ ns, deadline: ns === null ? 0n : monotonicNs() + ns });
const timeLeft = (to: Timeout): bigint => { const l = to.deadline - monotonicNs(); return l > 0n ? l : 0n; };

/** Run a wait, then (whatever its outcome) let `finish` write the time left back; none after a timeout. */
function thenFinally(r: number | Promise<number>, finish: (expired: boolean) => void): number | Promise<number> {
  if (typeof r === 'number') { finish(r === 0); return r; }
  return r.then((v) => { finish(v === 0); return v; }, (e) => { finish(false); throw e; });
}

/** do_sys_poll: the pollfd array in, revents out (every entry's, zeros included). */
function doPoll(t: Task, fds: number, nfds: number, to: Timeout, interruptErrno: number): number | Promise<number> {
  if (BigInt(nfds) > t.process.rlimits[RLIMIT.NOFILE].cur) throw err(E.EINVAL);
  const raw = t.mem.read(fds, nfds * 8);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const entries: PollEntry[] = [];
  const index: number[] = [];
  for (let i = 0; i < nfds; i++) {
    const fd = dv.getInt32(i * 8, true);
    if (fd < 0) continue;
    const events = dv.getUint16(i * 8 + 4, true) | POLL.ERR | POLL.HUP;
    entries.push({ file: t.files.has(fd) ? t.files.get(fd) : null, events, revents: 0 });
    index.push(i);
  }
  const write = (n: number): number => {
    for (let i = 0; i < nfds; i++) dv.setUint16(i * 8 + 6, 0, true);
    entries.forEach((e, j) => dv.setUint16(index[j] * 8 + 6, e.revents, true));
    t.mem.write(fds, raw);
    return n;
  };
  const r = pollWait(entries, { timeoutNs: to.ns, interruptErrno, signalPending: () => signalPending(t) });
  return typeof r === 'number' ? write(r) : r.then(write);
}

// poll(2): timeout in ms, negative waits forever
function poll(t: Task, fds: number, nfds: number, timeoutMs: number): number | Promise<number> {
  const ns = timeoutMs < 0 ? null : BigInt(timeoutMs) * 1_000_000n;
  return restartablePoll(t, fds, nfds, timeoutOf(ns));
}

/** poll's wait; interrupted without a handler, it goes on until the same deadline (do_restart_poll). */
function restartablePoll(t: Task, fds: number, nfds: number, to: Timeout): number | Promise<number> {
  const r = doPoll(t, fds, nfds, to, ERESTART_RESTARTBLOCK);
  if (typeof r === 'number') return r;
  return r.catch((e: unknown) => {
    if (e instanceof LinuxError && e.errno === ERESTART_RESTARTBLOCK) {
      t.restartBlock = () => Promise.resolve(restartablePoll(t, fds, nfds, { ns: to.ns === null ? null : timeLeft(to), deadline: to.deadline }));
    }
    throw e;
  });
}

// ppoll(2): a timespec (NULL waits forever) and a temporary signal mask
function ppoll(t: Task, fds: number, nfds: number, tsp: number, sigmask: number, size: number): number | Promise<number> {
  const to = timeoutOf(tsp ? readTimespec(t.mem, tsp) : null);
  const finish = (expired: boolean): void => { if (tsp && to.ns !== 0n) writeTimespec(t.mem, tsp, expired ? 0n : timeLeft(to)); };
  return withSigmask(t, sigmask, size, () => thenFinally(doPoll(t, fds, nfds, to, ERESTARTNOHAND), finish));
}

/** The fdtable size select clamps nfds to (fdt->max_fds: 64, then multiples of 128 as the table grows). */
function maxFds(t: Task): number {
  const entries = t.files.entries();
  const top = entries.length ? entries[entries.length - 1][0] + 1 : 0;
  if (top <= 64) return 64;
  let n = 128;
  while (n < top) n *= 2;
  return n;
}

/** core_sys_select: three fd_sets of n bits in, the ready bits out; the count of bits set. */
function doSelect(t: Task, n: number, inp: number, outp: number, exp: number, to: Timeout): number | Promise<number> {
  if (n < 0) throw err(E.EINVAL);
  n = Math.min(n, maxFds(t));
  const bytes = Math.ceil(n / 64) * 8;
  const sets = [inp, outp, exp].map((p) => (p ? t.mem.read(p, bytes) : new Uint8Array(bytes)));
  const bit = (s: Uint8Array, fd: number): boolean => (s[fd >> 3] & (1 << (fd & 7))) !== 0;
  const entries: PollEntry[] = [];
  const fdOf: number[] = [];
  for (let fd = 0; fd < n; fd++) {
    const [r, w, x] = sets.map((s) => bit(s, fd));
    if (!r && !w && !x) continue;
    if (!t.files.has(fd)) throw err(E.EBADF);
    const events = (r ? POLLIN_SET : 0) | (w ? POLLOUT_SET : 0) | (x ? POLLEX_SET : 0);
    entries.push({ file: t.files.get(fd), events, revents: 0 });
    fdOf.push(fd);
  }
  const write = (): number => {
    const res = sets.map(() => new Uint8Array(bytes));
    let count = 0;
    entries.forEach((e, j) => {
      const fd = fdOf[j];
      [POLLIN_SET, POLLOUT_SET, POLLEX_SET].forEach((m, k) => {
        if (bit(sets[k], fd) && e.revents & m) { res[k][fd >> 3] |= 1 << (fd & 7); count++; }
      });
    });
    [inp, outp, exp].forEach((p, k) => { if (p) t.mem.write(p, res[k]); });
    return count;
  };
  const r = pollWait(entries, { timeoutNs: to.ns, interruptErrno: ERESTARTNOHAND, signalPending: () => signalPending(t) });
  return typeof r === 'number' ? write() : r.then(write);
}

/** struct timeval to ns, whole seconds of tv_usec carried over; EINVAL when negative (kern_select). */
function readTimeval(t: Task, p: number): bigint {
  const s = t.mem.read(p, 16);
  const dv = new DataView(s.buffer, s.byteOffset, 16);
  const sec = dv.getBigInt64(0, true) + dv.getBigInt64(8, true) / 1_000_000n;
  const nsec = (dv.getBigInt64(8, true) % 1_000_000n) * 1000n;
  if (sec < 0n || nsec < 0n) throw err(E.EINVAL);
  return sec * NS_PER_SEC + nsec;
}

// select(2): a timeval (NULL waits forever), updated with the time left
function select(t: Task, n: number, inp: number, outp: number, exp: number, tvp: number): number | Promise<number> {
  const to = timeoutOf(tvp ? readTimeval(t, tvp) : null);
  return thenFinally(doSelect(t, n, inp, outp, exp, to), (expired) => { if (tvp && to.ns !== 0n) writeTimeval(t.mem, tvp, expired ? 0n : timeLeft(to)); });
}

// pselect6(2): a timespec and {const sigset_t *ss; size_t ss_len}
function pselect6(t: Task, n: number, inp: number, outp: number, exp: number, tsp: number, sig: number): number | Promise<number> {
  const to = timeoutOf(tsp ? readTimespec(t.mem, tsp) : null);
  let mask = 0, size = 0;
  if (sig) {
    const s = struct(16);
    s.u8.set(t.mem.read(sig, 16));
    mask = Number(s.dv.getBigUint64(0, true));
    size = Number(s.dv.getBigUint64(8, true));
  }
  const finish = (expired: boolean): void => { if (tsp && to.ns !== 0n) writeTimespec(t.mem, tsp, expired ? 0n : timeLeft(to)); };
  return withSigmask(t, mask, size, () => thenFinally(doSelect(t, n, inp, outp, exp, to), finish));
}

export const pollSyscalls: SyscallDef[] = [
  sys(7, 'poll', ['ptr', 'uint', 'int'], poll),
  sys(271, 'ppoll', ['ptr', 'uint', 'ptr', 'ptr', 'size'], ppoll),
  sys(23, 'select', ['int', 'ptr', 'ptr', 'ptr', 'ptr'], select),
  sys(270, 'pselect6', ['int', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], pselect6),
];
