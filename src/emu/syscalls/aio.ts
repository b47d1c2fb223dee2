// Linux native AIO: io_setup(2), io_destroy(2), io_submit(2), io_getevents(2), io_pgetevents, io_cancel(2)
// (fs/aio.c). Contexts and their ring live in kernel/aio.ts; each request runs here when submitted, through
// the same file operations as pread/pwrite/preadv/pwritev/fsync (a stream ignores the offset, as Linux's
// read_iter does).
import { AioContext, createContext, destroyContext, encodeEvent, lookupContext, type IoEvent } from '../kernel/aio.js';
import { E, LinuxError, err } from '../kernel/errno.js';
import { CPU_COUNT } from '../kernel/sched-attr.js';
import type { Task } from '../kernel/task.js';
import { waitOn } from '../kernel/wait-queue.js';
import { EventFd } from '../fs/eventfd.js';
import type { IoResult, OpenFile } from '../fs/file.js';
import { readInto, transfer } from '../fs/io.js';
import { NS_PER_SEC } from './abi.js';
import { bufferViews, iovecViews, readableFile, writableFile } from './fs-util.js';
import { withSigmask } from './poll-sigmask.js';
import { partial, sys, type SyscallDef } from './types.js';

const CMD = { PREAD: 0, PWRITE: 1, FSYNC: 2, FDSYNC: 3, POLL: 5, NOOP: 6, PREADV: 7, PWRITEV: 8 } as const;
const IOCB_FLAG_RESFD = 1, IOCB_FLAG_IOPRIO = 2, IOCB_SIZE = 64, EVENT_SIZE = 32;

/** struct iocb as io_submit_one reads it. */
interface Iocb { data: bigint; rwFlags: number; opcode: number; reqprio: number; fd: number; buf: number; nbytes: bigint; offset: bigint; reserved2: bigint; flags: number; resfd: number }

function readIocb(t: Task, addr: number): Iocb {
  const b = t.mem.read(addr, IOCB_SIZE);
  const dv = new DataView(b.buffer, b.byteOffset, IOCB_SIZE);
  return {
    data: dv.getBigUint64(0, true), rwFlags: dv.getInt32(12, true), opcode: dv.getUint16(16, true), reqprio: dv.getUint16(18, true), fd: dv.getUint32(20, true),
    buf: Number(dv.getBigUint64(24, true)), nbytes: dv.getBigUint64(32, true), offset: dv.getBigInt64(40, true),
    reserved2: dv.getBigUint64(48, true), flags: dv.getUint32(56, true), resfd: dv.getUint32(60, true),
  };
}

/** rw_verify_area: no negative offset, no end past 2^63. */
function verifyArea(pos: bigint, count: bigint): number {
  if (pos < 0n || pos + count > 0x7fffffffffffffffn) throw err(E.EINVAL);
  return Number(pos);
}

/** Positional I/O where the file has positions; a stream (pipe, socket, tty) reads and writes as it comes. */
function rw(f: OpenFile, bufs: Uint8Array[], pos: number, write: boolean): IoResult {
  try {
    return write ? transfer(bufs, (b, done) => f.pwrite(b, pos + done)) : transfer(bufs, (b, done) => f.pread(b, pos + done));
  } catch (e) {
    if (!(e instanceof LinuxError) || e.errno !== E.ESPIPE) throw e;
    return write ? transfer(bufs, (b) => f.write(b)) : readInto(f, bufs);
  }
}

/**
 * The request's work (aio_read/aio_write/aio_fsync): argument errors are the submission's (thrown), the
 * outcome of the I/O is the event's result; a request interrupted by a signal completes with EINTR.
 */
function start(t: Task, cb: Iocb): () => IoResult {
  if (cb.flags & IOCB_FLAG_IOPRIO && cb.reqprio >> 13 > 3) throw err(E.EINVAL); // ioprio_check_cap: no such class
  switch (cb.opcode) {
    case CMD.PREAD: case CMD.PREADV: case CMD.PWRITE: case CMD.PWRITEV: {
      const write = cb.opcode === CMD.PWRITE || cb.opcode === CMD.PWRITEV;
      if (cb.rwFlags) throw err(E.EOPNOTSUPP);
      const f = write ? writableFile(t, cb.fd) : readableFile(t, cb.fd);
      const bufs = cb.opcode === CMD.PREAD || cb.opcode === CMD.PWRITE
        ? bufferViews(t, cb.buf, Number(cb.nbytes), !write) : iovecViews(t, cb.buf, Number(cb.nbytes), !write);
      const pos = verifyArea(cb.offset, BigInt(bufs.reduce((n, b) => n + b.length, 0)));
      return () => rw(f, bufs, pos, write);
    }
    case CMD.FSYNC: case CMD.FDSYNC: {
      if (cb.buf || cb.offset || cb.nbytes || cb.rwFlags) throw err(E.EINVAL);
      const f = t.files.get(cb.fd);
      return () => { f.sync(); return 0; };
    }
    default: throw err(E.EINVAL);
  }
}

/** io_submit_one: checks, the request run, its event queued; the error of a request not submitted is thrown. */
async function submitOne(t: Task, ctx: AioContext, addr: number): Promise<void> {
  const cb = readIocb(t, addr);
  if (cb.reserved2) throw err(E.EINVAL);
  if (cb.nbytes > 0x7fffffffffffffffn) throw err(E.EINVAL);
  if (ctx.pending() >= ctx.nr - 1) throw err(E.EAGAIN); // no request slot: the ring holds every unreaped event
  t.files.get(cb.fd);
  let efd: EventFd | null = null;
  if (cb.flags & IOCB_FLAG_RESFD) {
    const e = t.files.get(cb.resfd);
    if (!(e instanceof EventFd)) throw err(E.EINVAL);
    efd = e;
  }
  t.mem.writeU32(addr + 8, 0); // aio_key: KIOCB_KEY
  const work = start(t, cb);
  let res: bigint;
  try {
    res = BigInt(await work());
  } catch (e) {
    if (!(e instanceof LinuxError)) throw e;
    res = BigInt(-(e.errno >= 512 ? E.EINTR : e.errno)); // a signal ends the request with EINTR: it cannot be restarted
  }
  const ev: IoEvent = { data: cb.data, obj: BigInt(addr), res, res2: 0n };
  ctx.complete(ev);
  efd?.signal(1n);
}

/** io_submit(2): requests in order until one cannot be submitted; the count, or the first one's error. */
async function ioSubmit(t: Task, id: number, nr: number, iocbpp: number): Promise<number> {
  if (nr < 0) throw err(E.EINVAL);
  const ctx = lookupContext(t.process.mm, id);
  const n = Math.min(nr, ctx.nr);
  let i = 0;
  for (; i < n; i++) {
    try {
      await submitOne(t, ctx, t.mem.readU64(iocbpp + 8 * i));
    } catch (e) {
      if (i === 0) throw e;
      break;
    }
  }
  return i;
}

/**
 * io_getevents(2)/io_pgetevents: wait until min_nr events (or the timeout, or a signal), taking them as they
 * come; the number taken. A signal before any event is EINTR (never restarted).
 */
function getEvents(t: Task, id: number, minNr: number, nr: number, events: number, timeout: number): number | Promise<number> {
  const ctx = lookupContext(t.process.mm, id);
  if (minNr < 0 || nr < 0 || minNr > nr) throw err(E.EINVAL);
  // a relative timeout, not checked for range (ktime arithmetic on whatever was given)
  let ms: number | undefined;
  if (timeout) {
    const b = t.mem.read(timeout, 16);
    const dv = new DataView(b.buffer, b.byteOffset, 16);
    const ns = dv.getBigInt64(0, true) * NS_PER_SEC + dv.getBigInt64(8, true);
    ms = ns <= 0n ? 0 : Number(ns) / 1e6;
  }
  let got = 0;
  const attempt = (): number | null => {
    for (const ev of ctx.take(nr - got)) t.mem.write(events + EVENT_SIZE * got++, encodeEvent(ev));
    return got >= minNr || ctx.destroyed ? got : null;
  };
  return waitOn([ctx.queue], attempt, { timeoutMs: ms, onTimeout: () => got, interruptErrno: E.EINTR, onInterrupt: () => (got > 0 ? got : null) });
}

/** io_cancel(2): every request has completed by the time io_submit returned: none can be found (EINVAL). */
function ioCancel(t: Task, id: number, iocb: number): number {
  t.mem.readU32(iocb + 8); // aio_key
  lookupContext(t.process.mm, id);
  throw err(E.EINVAL);
}

export const aioSyscalls: SyscallDef[] = [
  sys(206, 'io_setup', ['uint', 'ptr'], (t, nrEvents, ctxp) => {
    if (t.mem.readU64(ctxp) !== 0 || nrEvents === 0) throw err(E.EINVAL);
    const ctx = createContext(t.kernel, t.process.mm, nrEvents, CPU_COUNT);
    t.mem.writeU64(ctxp, ctx.id);
    return 0;
  }),
  sys(207, 'io_destroy', ['u64'], (t, id) => { destroyContext(t.process.mm, lookupContext(t.process.mm, id)); return 0; }),
  partial(209, 'io_submit', ['u64', 'int', 'ptr'], 'requests run at submission (as buffered AIO does), so io_cancel finds none; '
    + 'IOCB_CMD_POLL: EINVAL; aio_rw_flags: EOPNOTSUPP; IOCB_FLAG_IOPRIO accepted, not applied',
    ioSubmit),
  sys(208, 'io_getevents', ['u64', 'int', 'int', 'ptr', 'ptr'], getEvents),
  sys(333, 'io_pgetevents', ['u64', 'int', 'int', 'ptr', 'ptr', 'ptr'], (t, id, minNr, nr, events, timeout, usig) => {
    if (!usig) return getEvents(t, id, minNr, nr, events, timeout);
    const maskp = t.mem.readU64(usig), size = t.mem.readU64(usig + 8);
    return withSigmask(t, maskp, size, () => getEvents(t, id, minNr, nr, events, timeout));
  }),
  sys(210, 'io_cancel', ['u64', 'ptr', 'ptr'], ioCancel),
];
