// One process's address space: the VMAs (what the guest mapped, with which protection) over engine blocks
// (the host memory behind them). mm/mmap.c, mm/mprotect.c and mm/mremap.c are the references.
//
// Mechanism (keep it this simple):
// - Every VMA page is backed. mmap maps a fresh engine block for each part of its range not already backed
//   (Backing.ensure; blocks are NORESERVE host memory, so a GiB-sized PROT_NONE reservation costs nothing
//   until touched); blocks never overlap and are at most 1 GiB.
// - The engine's page permissions always equal the VMAs' (effectiveProt: x86 cannot express write-only),
//   except a file mapping's pages past the end of the file, which have no access: touching one is SIGBUS
//   (fileFault: or the file has grown since, then the page is read in); pages outside every VMA are zero
//   and have no access. munmap therefore discards (zero + free host pages)
//   and protects NONE; engine blocks stay mapped until the address space closes and are reused by later
//   mappings of the same addresses. Unmapping Unicorn memory while a process lives is not safe in 2.1.4:
//   inside a syscall hook the next fetch faults, and even between runs the next run can hang or crash.
// - Private file mappings copy the file's bytes in at mmap time through engine.load, which keeps the
//   translated code of pages whose bytes stay the same.
// - MAP_SHARED pages are a SharedSegment's (shared-memory.ts), shown over the engine's own blocks
//   (engine.mapShared): anonymous shared memory, /dev/zero, and files that provide a segment (memfd,
//   tmpfs, host files through their page cache: fs/shared-pages.ts). discard() makes such pages private
//   again; a VMA holds its segment (seg, offset) and the address space is one of the segment's users.
// - Translated code is dropped by the engine whenever the bytes under it change or its page stops being
//   executable (src/emu/native/src/engine_code.cc); JS writes into executable pages call flushCode.
// - Engines are reused (engine-pool.ts): AddressSpace.create takes one with its blocks and translated
//   code, close gives it back. A reused engine's blocks may hold the code pages of its last process
//   outside every VMA (see backing.ts); mapFixed clears them unless a file mapping reloads them.
// - fork (fork.ts): the child's engine copies every block of the parent (engine.copyFrom), then maps the
//   parent's shared segments at the same places.
import { LinuxError, E } from '../kernel/errno.js';
import { Backing, type Block } from './backing.js';
import type { Engine } from '../cpu/engine.js';
import { giveEngine, takeEngine } from './engine-pool.js';
import { MmMemory } from './memory.js';
import type { GuestMemory } from './guest-memory.js';
import { VmaList, type MappedFile, type Vma, type VmaKind } from './vma.js';
import { SharedSegment } from './shared-memory.js';
import {
  MAP, MAP_KNOWN, MMAP_BASE, MMAP_MIN_ADDR, MAP32_BASE, MAP32_END, PAGE, PROT, TASK_SIZE,
  alignUp, effectiveProt, isAligned,
} from './layout.js';
import { doMremap } from './remap.js';
import { doMadvise, doMincore, doMsync, requireMapped } from './advise.js';

/** O_ACCMODE values of the fd a file mapping comes from. */
export const O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;

/** Attributes of a new mapping (mapFixed): everything of a VMA but its range. */
export interface MapAttrs {
  prot: number;
  shared?: boolean;
  growsDown?: boolean;
  mayWrite?: boolean;
  kind?: VmaKind;
  name?: string;
  file?: MappedFile | null;
  offset?: number;
  /** Shared memory shown at start from `offset` (MAP_SHARED); grown to cover the mapping. */
  seg?: SharedSegment | null;
  /** Copy the file's bytes in (default true; mremap moves bytes itself). */
  fill?: boolean;
}

export class AddressSpace {
  readonly vmas = new VmaList();
  readonly backing: Backing;
  readonly memory: GuestMemory;
  /** Bumped on every change of mappings or protections (GuestMemory's cache key). */
  gen = 0;
  /** Program break: start (end of the image, page aligned) and current value (brk(2)). */
  startBrk = 0;
  brkValue = 0;
  /** Top-down mmap allocation starts below this. */
  mmapBase = MMAP_BASE;
  /** mlockall(MCL_FUTURE) was requested (accepted, no effect: nothing is ever swapped). */
  lockFuture = false;
  /** membarrier(2) registrations of this address space (MEMBARRIER_CMD_REGISTER_* bits); none after fork or exec. */
  membarrierRegistered = 0;
  /** Where execve left the argument and environment strings (mm->arg_start...env_end): /proc/PID/cmdline, environ. */
  args = { argStart: 0, argEnd: 0, envStart: 0, envEnd: 0 };
  /** The auxiliary vector execve put on the stack, as (type, value) words ending in AT_NULL (mm->saved_auxv). */
  auxv: Uint8Array = new Uint8Array(0);
  /** The program this memory was built for (execve's file, inherited by fork): picks a reused engine. */
  image = '';
  private closed = false;
  /** The process has left this memory (exit, exec): what held it open reads nothing (mmget_not_zero fails). */
  get isClosed(): boolean { return this.closed; }
  /**
   * High-water marks of the resident set and of the mapped size in bytes (hiwater_rss, hiwater_vm): brought
   * up to date before memory goes (munmap, MADV_DONTNEED, exit, exec) and when read, as update_hiwater_rss does.
   */
  private hiwaterRss = 0;
  private hiwaterVm = 0;

  /** An address space over `engine`, which already maps `blocks` (a reused engine) or nothing. */
  constructor(readonly engine: Engine, blocks: Block[] = []) {
    this.backing = new Backing(engine, blocks);
    this.memory = new MmMemory(this);
  }

  /** An empty address space for a process running `image`, on a reused engine when one is free. */
  static create(image: string): AddressSpace {
    const { engine, blocks } = takeEngine(image);
    const mm = new AddressSpace(engine, blocks);
    mm.image = image;
    return mm;
  }

  /** mmap(2). `accMode` is the fd's O_ACCMODE (file mappings only). Returns the mapped address. */
  mmap(addr: number, len: number, prot: number, flags: number, file: MappedFile | null = null, offset = 0,
    accMode = O_RDWR): number {
    if (file?.zero) { flags |= MAP.ANONYMOUS; file = null; } // mem.c mmap_zero: anonymous memory
    const anon = (flags & MAP.ANONYMOUS) !== 0;
    if (!anon && (offset < 0 || !isAligned(offset))) throw new LinuxError(offset < 0 ? E.EOVERFLOW : E.EINVAL);
    if (len === 0) throw new LinuxError(E.EINVAL);
    const size = alignUp(len);
    if (!(size <= TASK_SIZE)) throw new LinuxError(E.ENOMEM);
    const type = flags & MAP.TYPE;
    if (type !== MAP.SHARED && type !== MAP.PRIVATE && type !== MAP.SHARED_VALIDATE) throw new LinuxError(E.EINVAL);
    if (type === MAP.SHARED_VALIDATE && ((flags & ~MAP_KNOWN) !== 0 || (flags & MAP.SYNC) !== 0)) {
      throw new LinuxError(E.EOPNOTSUPP); // MAP_SYNC needs a DAX file; we have none
    }
    const shared = type !== MAP.PRIVATE;
    if (flags & MAP.HUGETLB) throw new LinuxError(E.ENOMEM); // no huge pages reserved (vm.nr_hugepages = 0)
    let mayWrite = true;
    if (!anon) {
      if (!file) throw new LinuxError(E.ENODEV);
      if (accMode === O_WRONLY) throw new LinuxError(E.EACCES);
      if (shared && accMode !== O_RDWR) {
        if (prot & PROT.WRITE) throw new LinuxError(E.EACCES);
        mayWrite = false;
      }
      if (offset + size > Number.MAX_SAFE_INTEGER) throw new LinuxError(E.EOVERFLOW);
    }
    const fixed = (flags & (MAP.FIXED | MAP.FIXED_NOREPLACE)) !== 0;
    let start: number;
    if (fixed) {
      if (!isAligned(addr)) throw new LinuxError(E.EINVAL);
      if (addr + size > TASK_SIZE) throw new LinuxError(E.ENOMEM);
      if (addr < MMAP_MIN_ADDR) throw new LinuxError(E.EPERM);
      if ((flags & MAP.FIXED_NOREPLACE) && !this.vmas.isFree(addr, addr + size)) throw new LinuxError(E.EEXIST);
      start = addr;
    } else {
      start = this.findArea(addr, size, flags);
      this.backing.ensureWithRoom(start, start + size, true); // the next mappings go below (top-down)
    }
    // Shared pages: a new anonymous object (shmem_zero_setup), or the file's own (no copy is filled in).
    const seg = !shared ? null : anon ? new SharedSegment(size) : file?.shared?.(offset + size) ?? null;
    this.mapFixed(start, size, {
      prot, shared, mayWrite, growsDown: (flags & MAP.GROWSDOWN) !== 0,
      kind: anon ? 'anon' : 'file', name: anon ? (seg ? '/dev/zero (deleted)' : '') : file?.path ?? '',
      file: anon ? null : file, offset: anon ? 0 : offset, seg, fill: seg === null,
    });
    return start;
  }

  /** Where a non-fixed mapping of `size` bytes goes: the hint if free (mm/mmap.c), else top-down search. */
  findArea(hint: number, size: number, flags = 0, align = PAGE): number {
    if (flags & MAP['32BIT']) {
      const a = this.vmas.findFreeUp(size, MAP32_BASE, MAP32_END, align);
      if (a < 0) throw new LinuxError(E.ENOMEM);
      return a;
    }
    if (hint) {
      const h = alignUp(hint);
      if (h >= MMAP_MIN_ADDR && h + size <= TASK_SIZE && h % align === 0 && this.vmas.isFree(h, h + size)) return h;
    }
    const a = this.vmas.findFree(size, this.mmapBase, align);
    if (a < 0) throw new LinuxError(E.ENOMEM);
    return a;
  }

  /** Map [start, start+len) with `attrs`, replacing whatever was there (MAP_FIXED semantics, no checks). */
  mapFixed(start: number, len: number, attrs: MapAttrs): void {
    const end = start + len;
    const v: Vma = {
      start, end, prot: attrs.prot & 7, shared: attrs.shared ?? false, growsDown: attrs.growsDown ?? false,
      mayWrite: attrs.mayWrite ?? true, kind: attrs.kind ?? 'anon', name: attrs.name ?? '',
      file: attrs.file ?? null, offset: attrs.offset ?? 0, seg: attrs.seg ?? null, locked: false,
    };
    const fill = v.file !== null && v.seg === null && attrs.fill !== false;
    // A file mapping rewrites every byte of the range (engine.load keeps code where they stay the same),
    // and shared memory replaces the pages, so the old VMAs just go (their shared pages are made private
    // for a file's bytes); anything else starts from zeroed pages.
    if (fill || v.seg) {
      if (!this.vmas.isFree(start, end)) this.noteHiwater();
      const old = this.vmas.remove(start, end);
      if (fill) for (const o of old) if (o.seg) this.backing.discard(o.start, o.end);
      this.release(old);
    } else if (!this.vmas.isFree(start, end)) {
      this.unmapRange(start, end);
    }
    this.backing.ensure(start, end);
    if (v.seg) {
      // a file's pages are read in as far as the mapping reaches (mremap growth included)
      if (v.file?.shared) v.file.shared(v.offset + len); else v.seg.grow(v.offset + len);
      this.engine.mapShared(start, len, v.seg.native, v.offset);
      v.seg.attach(this);
    } else if (fill) {
      this.fillFromFile(start, end, v.file!, v.offset, effectiveProt(v.prot));
    } else {
      if (this.engine.hasCode(start, len)) this.backing.discard(start, end); // code pages kept by a reused engine
      this.backing.protect(start, end, effectiveProt(v.prot));
    }
    this.vmas.insert(v);
    if (v.seg) this.reprotect(start, end);
    this.gen++;
  }

  /** The end of the pages of `v` that hold file data (the file's size now, rounded up to a page). */
  private fileDataEnd(v: Vma): number {
    if (!v.file || v.file.zero) return v.end;
    return Math.min(v.end, v.start + Math.max(0, alignUp(v.file.size - v.offset)));
  }

  /** Give the engine pages of [start, end) their VMAs' protection, none past the end of a mapped file. */
  reprotect(start: number, end: number): void {
    for (const v of this.vmas.overlapping(start, end)) {
      const s = Math.max(start, v.start), e = Math.min(end, v.end), data = Math.max(s, Math.min(e, this.fileDataEnd(v)));
      if (s < data) this.backing.protect(s, data, effectiveProt(v.prot));
      if (data < e) this.backing.protect(data, e, PROT.NONE);
    }
  }

  /**
   * A protection fault at `addr` that the VMA allows: a file page past EOF is SIGBUS (mm/filemap.c
   * filemap_fault), unless the file has grown to it since: then its pages are read in (private) or
   * opened (shared) and the access is retried. null: an ordinary fault (SIGSEGV).
   */
  fileFault(addr: number, access: 'read' | 'write' | 'exec'): 'retry' | 'sigbus' | null {
    const v = this.vmas.find(addr);
    if (!v || !v.file || v.file.zero) return null;
    const need = access === 'write' ? PROT.WRITE : access === 'exec' ? PROT.EXEC : PROT.READ;
    if (!(effectiveProt(v.prot) & need)) return null;
    const page = addr - (addr % PAGE), data = this.fileDataEnd(v);
    if (page >= data) return 'sigbus';
    if (!v.seg) this.fillFromFile(page, data, v.file, v.offset + (page - v.start), effectiveProt(v.prot));
    this.reprotect(page, data);
    this.gen++;
    return 'retry';
  }

  /**
   * [start, end) (backed) becomes the file's bytes [offset, offset + (end - start)), zero past EOF, with
   * engine protection `prot`; the pages wholly past EOF get none (SIGBUS, see fileFault).
   */
  fillFromFile(start: number, end: number, file: MappedFile, offset: number, prot: number): void {
    const avail = Math.max(0, Math.min(end - start, file.size - offset));
    let loaded = start;
    if (avail > 0) {
      const bytes = fileBytes(avail);
      let done = 0;
      while (done < avail) {
        const n = file.readAt(bytes.subarray(done), offset + done);
        if (n <= 0) break;
        done += n;
      }
      bytes.fill(0, done); // the file shrank under us: zeros, as a fresh array had
      this.engine.load(start, bytes, prot);
      loaded = start + alignUp(avail);
    }
    if (loaded < end) {
      this.backing.discard(loaded, end);
      this.backing.protect(loaded, end, PROT.NONE);
    }
  }

  /** Bytes of [start, end) in host memory (pages outside every VMA are never resident). */
  residentIn(start: number, end: number): number {
    let pages = 0;
    for (const b of this.backing.residency(start, end)) pages += b & 1;
    return pages * PAGE;
  }

  /** Record the current resident and mapped sizes into the high-water marks (memory is about to go). */
  noteHiwater(): void {
    let rss = 0, vm = 0;
    for (const v of this.vmas.list) { rss += this.residentIn(v.start, v.end); vm += v.end - v.start; }
    this.hiwaterRss = Math.max(this.hiwaterRss, rss);
    this.hiwaterVm = Math.max(this.hiwaterVm, vm);
  }

  /** The peak resident set (VmHWM, ru_maxrss) and mapped size (VmPeak) so far, in bytes. */
  get peak(): { rss: number; vm: number } {
    this.noteHiwater();
    return { rss: this.hiwaterRss, vm: this.hiwaterVm };
  }

  /** Remove the VMAs of [start, end): their pages become zero and inaccessible (blocks stay). */
  unmapRange(start: number, end: number): void {
    if (this.vmas.overlapping(start, end).length) this.noteHiwater();
    const old = this.vmas.remove(start, end);
    for (const v of old) {
      this.backing.discard(v.start, v.end);
      this.backing.protect(v.start, v.end, PROT.NONE);
    }
    this.release(old);
    this.gen++;
  }

  /**
   * VMAs removed from the map: shared file pages are written back (munmap, exit), and a segment none of
   * the remaining VMAs shows loses this user.
   */
  private release(removed: Vma[]): void {
    for (const v of removed) {
      if (!v.seg || !v.file?.sync) continue;
      try {
        v.file.sync(v.offset, v.end - v.start);
      } catch (e) {
        if (!(e instanceof LinuxError)) throw e; // a failed write-back at munmap or exit is lost, as in Linux
      }
    }
    for (const v of removed) {
      if (v.seg && v.seg.has(this) && !this.vmas.list.some((x) => x.seg === v.seg)) v.seg.detach(this);
    }
  }

  /** msync(MS_SYNC/MS_ASYNC) and exit: shared file pages of [start, end) go back to their files. */
  syncRange(start: number, end: number): void {
    for (const v of this.vmas.overlapping(start, end)) {
      if (!v.seg || !v.file?.sync) continue;
      const s = Math.max(v.start, start), e = Math.min(v.end, end);
      v.file.sync(v.offset + (s - v.start), e - s);
    }
  }

  /** munmap(2). */
  munmap(addr: number, len: number): void {
    if (!isAligned(addr) || len === 0) throw new LinuxError(E.EINVAL);
    const end = addr + alignUp(len);
    if (!(end <= TASK_SIZE)) throw new LinuxError(E.EINVAL);
    this.unmapRange(addr, end);
  }

  /**
   * mprotect(2), pkey_mprotect(2) (no protection key can be allocated: any but -1 is EINVAL). Checks
   * everything first, then applies (Linux may apply a prefix before failing); the order of the checks is
   * do_mprotect_pkey's.
   */
  mprotect(addr: number, len: number, prot: number, pkey = -1): void {
    const grows = prot & (PROT.GROWSDOWN | PROT.GROWSUP);
    prot &= ~grows;
    if (grows === (PROT.GROWSDOWN | PROT.GROWSUP)) throw new LinuxError(E.EINVAL);
    if (!isAligned(addr)) throw new LinuxError(E.EINVAL);
    if (len === 0) return;
    let start = addr;
    const end = addr + alignUp(len);
    if (!(end <= TASK_SIZE)) throw new LinuxError(E.ENOMEM);
    if ((prot & ~(7 | PROT.SEM)) || pkey !== -1) throw new LinuxError(E.EINVAL);
    if (grows & PROT.GROWSDOWN) {
      const v = this.vmas.find(start);
      if (!v) throw new LinuxError(E.ENOMEM);
      if (!v.growsDown) throw new LinuxError(E.EINVAL);
      start = v.start;
    } else if (grows) {
      throw new LinuxError(E.EINVAL); // no VM_GROWSUP VMAs on x86
    }
    requireMapped(this, start, end);
    prot &= 7;
    for (const v of this.vmas.overlapping(start, end)) if ((prot & PROT.WRITE) && !v.mayWrite) throw new LinuxError(E.EACCES);
    let lostExec = false;
    this.vmas.change(start, end, (v) => {
      if ((v.prot & PROT.EXEC) && !(prot & PROT.EXEC)) lostExec = true;
      v.prot = prot;
    });
    this.reprotect(start, end);
    if (lostExec) this.backing.flushCode(start, end);
    this.gen++;
  }

  /** Set the program break's start (the loader: end of the image). */
  initBrk(addr: number): void {
    this.startBrk = this.brkValue = alignUp(addr);
  }

  /** brk(2): the new break, or the unchanged one when the request cannot be met (mm/mmap.c). */
  brk(addr: number): number {
    if (addr < this.startBrk || addr > TASK_SIZE) return this.brkValue;
    const oldEnd = alignUp(this.brkValue), newEnd = alignUp(addr);
    if (newEnd === oldEnd) { this.brkValue = addr; return addr; }
    if (newEnd < oldEnd) {
      this.unmapRange(newEnd, oldEnd);
      this.brkValue = addr;
      return addr;
    }
    // Growing: the new pages plus one guard page must be free (Linux checks the next VMA's start gap).
    if (newEnd + PAGE > TASK_SIZE || !this.vmas.isFree(oldEnd, newEnd + PAGE)) return this.brkValue;
    const heapSlack = 16 * 1024 * 1024; // back the heap in >= 16 MiB blocks: fewer engine regions
    try {
      this.backing.ensure(oldEnd, newEnd, Math.ceil(newEnd / heapSlack) * heapSlack);
    } catch (e) {
      if (e instanceof LinuxError) return this.brkValue;
      throw e;
    }
    this.mapFixed(oldEnd, newEnd - oldEnd, { prot: PROT.READ | PROT.WRITE, kind: 'heap', name: '[heap]' });
    this.brkValue = addr;
    return addr;
  }

  /** mremap(2): the (possibly new) address. */
  mremap(oldAddr: number, oldLen: number, newLen: number, flags: number, newAddr = 0): number {
    return doMremap(this, oldAddr, oldLen, newLen, flags, newAddr);
  }

  /** madvise(2). */
  madvise(addr: number, len: number, advice: number): void { doMadvise(this, addr, len, advice); }

  /** mincore(2): one byte per page (bit 0: resident). */
  mincore(addr: number, len: number): Uint8Array { return doMincore(this, addr, len); }

  /** msync(2): shared file pages are written back to their files. */
  msync(addr: number, len: number, flags: number): void { doMsync(this, addr, len, flags); }

  /** mlock(2)/munlock(2)/mlock2(2): ENOMEM unless [addr, addr+len) is mapped; otherwise nothing to do. */
  mlock(addr: number, len: number): void {
    const start = addr - (addr % PAGE);
    requireMapped(this, start, alignUp(addr + len));
  }

  /** Copy guest bytes ignoring protections (the loader, kernel-internal writes). */
  poke(addr: number, data: Uint8Array): void { this.backing.poke(addr, data); }

  /**
   * The process is gone or its exec failed: the engine goes back to the pool with its blocks, or when the
   * pool does not keep it, every block is released and the engine closed.
   */
  close(): void {
    if (this.closed) return;
    this.noteHiwater();
    this.closed = true;
    const shared = this.vmas.list.filter((v) => v.seg);
    this.vmas.list.length = 0;
    this.release(shared); // the engine's shared pages become private when it is recycled or closed
    this.gen++;
    if (giveEngine(this.engine, this.backing.blocks, this.image)) return;
    try { this.backing.close(); } finally { this.engine.close(); }
  }
}

/**
 * A buffer for file bytes on their way into guest pages (engine.load copies them out at once): reused, so
 * the megabytes of libraries every launch maps are not each a fresh zeroed array for the GC to collect.
 */
let scratch = new Uint8Array(0);
const SCRATCH_MAX = 8 << 20;

function fileBytes(n: number): Uint8Array {
  if (n > SCRATCH_MAX) return new Uint8Array(n);
  if (scratch.length < n) scratch = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(n, 2 * scratch.length)));
  return scratch.subarray(0, n);
}
