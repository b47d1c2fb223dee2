// Linux native AIO contexts (fs/aio.c): a completion ring mapped into the process, as libaio reads it
// (header: id, nr, head, tail, magic, features, header length; then 32-byte io_events). Requests run at
// submission, as Linux runs buffered I/O: a read of an empty pipe waits inside io_submit; the event is in the
// ring when io_submit returns. The ring in guest memory is kept in step with the kernel's copy; the guest's
// head (libaio consumes events in user space) is read back from it.
import { E, LinuxError, err } from './errno.js';
import { WaitQueue } from './wait-queue.js';
import type { AddressSpace } from '../mm/address-space.js';
import { MAP, PROT, alignUp } from '../mm/layout.js';

const RING_MAGIC = 0xa10a10a1, HEADER = 32, EVENT = 32;
/** fs.aio-max-nr: the requests all contexts of the instance may ask for. */
export const AIO_MAX_NR = 65536;
const RING_NAME = '/[aio] (deleted)';

export interface IoEvent { data: bigint; obj: bigint; res: bigint; res2: bigint }

/** struct io_event's 32 bytes: data, obj, res, res2. */
export function encodeEvent(ev: IoEvent): Uint8Array {
  const b = new DataView(new ArrayBuffer(EVENT));
  b.setBigUint64(0, ev.data, true); b.setBigUint64(8, ev.obj, true); b.setBigInt64(16, ev.res, true); b.setBigInt64(24, ev.res2, true);
  return new Uint8Array(b.buffer);
}

export class AioContext {
  readonly queue = new WaitQueue();
  private head = 0;
  private tail = 0;
  private readonly events: IoEvent[];
  destroyed = false;

  constructor(readonly mm: AddressSpace, readonly id: number, readonly nr: number, readonly maxReqs: number, readonly ringLen: number) {
    this.events = new Array<IoEvent>(nr);
    this.writeHeader();
  }

  /** The ring VMA is still where io_setup put it (the guest may have unmapped or replaced it). */
  private ringIntact(): boolean {
    const v = this.mm.vmas.find(this.id);
    return !!v && v.start === this.id && v.name === RING_NAME && !this.mm.isClosed;
  }

  private writeHeader(): void {
    if (!this.ringIntact()) return;
    const h = new DataView(new ArrayBuffer(HEADER));
    [0, this.nr, this.head, this.tail, RING_MAGIC, 1, 0, HEADER].forEach((v, i) => h.setUint32(4 * i, v, true));
    this.mm.poke(this.id, new Uint8Array(h.buffer));
  }

  /** The guest's head: libaio advances it itself when it takes events from the ring. */
  private syncHead(): void {
    if (!this.ringIntact()) return;
    try {
      this.head = this.mm.memory.readU32(this.id + 8) % this.nr;
    } catch { /* the guest made its ring unreadable: the kernel's own head stands */ }
  }

  /** Completions not yet taken. */
  pending(): number {
    this.syncHead();
    return (this.tail - this.head + this.nr) % this.nr;
  }

  /** aio_complete: the event goes into the ring (a full ring cannot happen: submission keeps one slot free). */
  complete(ev: IoEvent): void {
    if (this.destroyed) return;
    this.events[this.tail] = ev;
    if (this.ringIntact()) this.mm.poke(this.id + HEADER + this.tail * EVENT, encodeEvent(ev));
    this.tail = (this.tail + 1) % this.nr;
    this.writeHeader();
    this.queue.notify();
  }

  /** Take up to `max` events (aio_read_events_ring). */
  take(max: number): IoEvent[] {
    this.syncHead();
    const out: IoEvent[] = [];
    while (out.length < max && this.head !== this.tail) {
      out.push(this.events[this.head]!);
      this.head = (this.head + 1) % this.nr;
    }
    if (out.length) this.writeHeader();
    return out;
  }
}

const contexts = new WeakMap<AddressSpace, Map<number, AioContext>>();
/** Per kernel: every context, for fs.aio-nr (contexts of a closed address space no longer count). */
const byKernel = new WeakMap<object, Set<AioContext>>();

/** fs.aio-nr: the requests asked for by the live contexts of the instance. */
export function aioNr(kernel: object): number {
  const all = byKernel.get(kernel);
  let n = 0;
  for (const c of all ?? []) {
    if (c.destroyed || c.mm.isClosed) all!.delete(c); else n += c.maxReqs;
  }
  return n;
}

/**
 * io_setup's ioctx_alloc: room for max(nr, 4 per CPU) * 2 events (per-CPU batches), rounded up to whole pages
 * of ring, which then holds as many as fit; the ring is a shared mapping the child of a fork does not get.
 */
export function createContext(kernel: object, mm: AddressSpace, nrEvents: number, cpus: number): AioContext {
  const want = Math.max(nrEvents, cpus * 4) * 2;
  if (want > 0x10000000 / EVENT) throw err(E.EINVAL);
  if (nrEvents > AIO_MAX_NR || aioNr(kernel) + nrEvents > AIO_MAX_NR) throw err(E.EAGAIN);
  const len = alignUp(HEADER + want * EVENT);
  const nr = (len - HEADER) / EVENT;
  const addr = mm.mmap(0, len, PROT.READ | PROT.WRITE, MAP.SHARED | MAP.ANONYMOUS);
  const v = mm.vmas.find(addr)!;
  v.name = RING_NAME;
  v.dontCopy = true;
  const ctx = new AioContext(mm, addr, nr, nrEvents, len);
  let table = contexts.get(mm);
  if (!table) contexts.set(mm, table = new Map());
  table.set(addr, ctx);
  let all = byKernel.get(kernel);
  if (!all) byKernel.set(kernel, all = new Set());
  all.add(ctx);
  return ctx;
}

/** lookup_ioctx: the caller's context with this id, else EINVAL. */
export function lookupContext(mm: AddressSpace, id: number): AioContext {
  const c = contexts.get(mm)?.get(id);
  if (!c || c.destroyed) throw new LinuxError(E.EINVAL);
  return c;
}

/** io_destroy: the context ends and its ring is unmapped. */
export function destroyContext(mm: AddressSpace, ctx: AioContext): void {
  ctx.destroyed = true;
  contexts.get(mm)?.delete(ctx.id);
  ctx.queue.notify();
  const v = mm.vmas.find(ctx.id);
  if (v && v.start === ctx.id && v.name === RING_NAME) mm.munmap(ctx.id, ctx.ringLen);
}

