import test from 'ava';
import { AddressSpace, O_RDONLY, O_WRONLY } from '../../../src/emu/mm/address-space.js';
import { LinuxError, E } from '../../../src/emu/kernel/errno.js';
import { MAP, MMAP_BASE, PROT, MREMAP, MADV, TASK_SIZE } from '../../../src/emu/mm/layout.js';
import { FakeEngine } from './fake-engine.js';
import type { Engine } from '../../../src/emu/cpu/engine.js';

const RW = PROT.READ | PROT.WRITE;
const ANON = MAP.PRIVATE | MAP.ANONYMOUS;
const errno = (fn: () => unknown): number => {
  try { fn(); } catch (e) { if (e instanceof LinuxError) return e.errno; throw e; }
  return 0;
};
const setup = () => { const eng = new FakeEngine(); return { eng, mm: new AddressSpace(eng as unknown as Engine) }; };
const file = (bytes: Uint8Array, path = '/f') => ({
  size: bytes.length, path,
  readAt(buf: Uint8Array, pos: number) { const n = Math.max(0, Math.min(buf.length, bytes.length - pos)); buf.set(bytes.subarray(pos, pos + n)); return n; },
});

test('anonymous mmap goes top-down below mmap_base and is RW in the engine', (t) => {
  const { eng, mm } = setup();
  const a = mm.mmap(0, 8192, RW, ANON);
  t.is(a, MMAP_BASE - 8192);
  const b = mm.mmap(0, 4096, PROT.READ, ANON);
  t.is(b, a - 4096);
  t.is(eng.protAt(a), RW);
  t.is(eng.protAt(b), PROT.READ);
  t.is(mm.vmas.list.length, 2);
});

test('mmap errors follow mmap(2)', (t) => {
  const { mm } = setup();
  t.is(errno(() => mm.mmap(0, 0, RW, ANON)), E.EINVAL);
  t.is(errno(() => mm.mmap(0, 4096, RW, MAP.ANONYMOUS)), E.EINVAL); // neither shared nor private
  t.is(errno(() => mm.mmap(0x10001000 + 1, 4096, RW, ANON | MAP.FIXED)), E.EINVAL);
  t.is(errno(() => mm.mmap(0x1000, 4096, RW, ANON | MAP.FIXED)), E.EPERM);
  t.is(errno(() => mm.mmap(TASK_SIZE - 4096, 8192, RW, ANON | MAP.FIXED)), E.ENOMEM);
  t.is(errno(() => mm.mmap(0, 2 ** 50, RW, ANON)), E.ENOMEM);
  const f = file(new Uint8Array(10));
  t.is(errno(() => mm.mmap(0, 4096, RW, MAP.PRIVATE, f, 100)), E.EINVAL);
  t.is(errno(() => mm.mmap(0, 4096, RW, MAP.PRIVATE, null, 0)), E.ENODEV);
  t.is(errno(() => mm.mmap(0, 4096, PROT.READ, MAP.PRIVATE, f, 0, O_WRONLY)), E.EACCES);
  t.is(errno(() => mm.mmap(0, 4096, RW, MAP.SHARED, f, 0, O_RDONLY)), E.EACCES);
  t.not(errno(() => mm.mmap(0, 4096, RW, MAP.PRIVATE, f, 0, O_RDONLY)), E.EACCES);
  t.is(errno(() => mm.mmap(0, 4096, RW, MAP.SHARED_VALIDATE | MAP.ANONYMOUS | 0x200)), E.EOPNOTSUPP);
});

test('MAP_FIXED replaces, MAP_FIXED_NOREPLACE refuses, hints are used when free', (t) => {
  const { mm } = setup();
  const base = 0x10000000;
  t.is(mm.mmap(base, 16384, RW, ANON | MAP.FIXED), base);
  mm.memory.write(base + 4096, new Uint8Array([1, 2, 3]));
  t.is(errno(() => mm.mmap(base + 4096, 4096, RW, ANON | MAP.FIXED_NOREPLACE)), E.EEXIST);
  t.is(mm.mmap(base + 4096, 4096, PROT.READ, ANON | MAP.FIXED), base + 4096);
  t.deepEqual([...mm.memory.read(base + 4096, 3)], [0, 0, 0]); // replaced: fresh zero page
  t.is(mm.vmas.list.length, 3);
  t.is(mm.mmap(0x20000000, 4096, RW, ANON), 0x20000000); // free hint
  const c = mm.mmap(base, 4096, RW, ANON); // taken hint: searched elsewhere
  t.not(c, base);
});

test('private file mapping copies the file, the tail of the last page is zero', (t) => {
  const { mm } = setup();
  const bytes = new Uint8Array(6000).map((_, i) => (i % 251) + 1);
  const a = mm.mmap(0, 12288, PROT.READ, MAP.PRIVATE, file(bytes), 0, O_RDONLY);
  const got = mm.memory.read(a, 12288);
  t.deepEqual(got.subarray(0, 6000), bytes);
  t.true(got.subarray(6000).every((x) => x === 0));
  const b = mm.mmap(0, 4096, PROT.READ, MAP.PRIVATE, file(bytes), 4096, O_RDONLY);
  t.deepEqual(mm.memory.read(b, 10), bytes.subarray(4096, 4106));
  t.is(mm.vmas.find(a)?.name, '/f');
});

test('munmap zeroes and splits VMAs; engine blocks stay for reuse until close', (t) => {
  const { eng, mm } = setup();
  const a = mm.mmap(0, 3 * 4096, RW, ANON);
  mm.memory.write(a + 4096, new Uint8Array([9]));
  mm.munmap(a + 4096, 4096);
  t.is(mm.vmas.list.length, 2);
  t.is(eng.protAt(a + 4096), 0);
  t.is(errno(() => mm.memory.read(a + 4096, 1)), E.EFAULT);
  t.is(eng.blocks.size, 1);
  mm.mmap(a + 4096, 4096, RW, ANON | MAP.FIXED); // reuses the block: contents zero
  t.is(mm.memory.read(a + 4096, 1)[0], 0);
  t.is(eng.blocks.size, 1);
  mm.munmap(a, 3 * 4096);
  t.is(eng.blocks.size, 1); // Unicorn memory is never unmapped while the process lives (address-space.ts)
  t.is(eng.protAt(a), 0);
  t.is(errno(() => mm.munmap(a + 1, 4096)), E.EINVAL);
  t.is(errno(() => mm.munmap(a, 0)), E.EINVAL);
  t.notThrows(() => mm.munmap(a, 4096)); // unmapping nothing is fine
});

test('mprotect: engine table follows, holes are ENOMEM, shared read-only files are EACCES', (t) => {
  const { eng, mm } = setup();
  const a = mm.mmap(0, 4 * 4096, RW, ANON);
  mm.mprotect(a + 4096, 8192, PROT.READ);
  t.is(eng.protAt(a), RW);
  t.is(eng.protAt(a + 4096), PROT.READ);
  t.is(mm.vmas.list.length, 3);
  mm.mprotect(a + 4096, 8192, RW);
  t.is(mm.vmas.list.length, 1); // merged back
  mm.mprotect(a, 4096, PROT.WRITE);
  t.is(eng.protAt(a), RW); // x86: write implies read
  t.is(errno(() => mm.mprotect(a + 1, 4096, RW)), E.EINVAL);
  t.is(errno(() => mm.mprotect(a, 4096, 0x80)), E.EINVAL);
  t.is(errno(() => mm.mprotect(a, 5 * 4096, RW)), E.ENOMEM);
  const s = mm.mmap(0, 4096, PROT.READ, MAP.SHARED, file(new Uint8Array(10)), 0, O_RDONLY);
  t.is(errno(() => mm.mprotect(s, 4096, RW)), E.EACCES);
  mm.mprotect(a, 4096, PROT.EXEC | PROT.READ);
  mm.mprotect(a, 4096, PROT.READ);
  t.true(eng.flushed.some(([x]) => x === a));
});

test('brk: grows a [heap] VMA after the image, shrinks, refuses below start and into mappings', (t) => {
  const { mm } = setup();
  mm.initBrk(0x400123);
  const start = 0x401000;
  t.is(mm.brk(0), start);
  t.is(mm.brk(start + 100), start + 100);
  t.is(mm.vmas.find(start)?.name, '[heap]');
  mm.memory.write(start + 99, new Uint8Array([7]));
  t.is(mm.brk(start + 70000), start + 70000);
  t.is(mm.vmas.list.length, 1);
  t.is(mm.brk(start + 10), start + 10);
  t.is(errno(() => mm.memory.read(start + 8192, 1)), E.EFAULT);
  t.is(mm.brk(start - 4096), start + 10);
  mm.mmap(start + 0x100000, 4096, RW, ANON | MAP.FIXED);
  t.is(mm.brk(start + 0x200000), start + 10); // would run into the mapping
});

test('mremap: shrink, grow in place, move with contents, FIXED, errors', (t) => {
  const { mm } = setup();
  const a = mm.mmap(0x30000000, 4 * 4096, RW, ANON | MAP.FIXED);
  mm.memory.write(a, new Uint8Array([1, 2, 3]));
  t.is(mm.mremap(a, 4 * 4096, 2 * 4096, 0), a);
  t.is(mm.vmas.find(a)!.end, a + 8192);
  t.is(mm.mremap(a, 2 * 4096, 6 * 4096, 0), a); // grows in place
  t.is(mm.vmas.find(a)!.end, a + 6 * 4096);
  mm.mmap(a + 6 * 4096, 4096, PROT.READ, ANON | MAP.FIXED); // block growth
  t.is(errno(() => mm.mremap(a, 6 * 4096, 8 * 4096, 0)), E.ENOMEM);
  const b = mm.mremap(a, 6 * 4096, 8 * 4096, MREMAP.MAYMOVE);
  t.not(b, a);
  t.deepEqual([...mm.memory.read(b, 3)], [1, 2, 3]);
  t.is(mm.vmas.find(b)!.end, b + 8 * 4096);
  t.is(errno(() => mm.memory.read(a, 1)), E.EFAULT);
  const c = mm.mremap(b, 8 * 4096, 8 * 4096, MREMAP.MAYMOVE | MREMAP.FIXED, 0x50000000);
  t.is(c, 0x50000000);
  t.deepEqual([...mm.memory.read(c, 3)], [1, 2, 3]);
  t.is(errno(() => mm.mremap(c, 4096, 8192, MREMAP.FIXED, 0x60000000)), E.EINVAL);
  t.is(errno(() => mm.mremap(c + 1, 4096, 8192, 0)), E.EINVAL);
  t.is(errno(() => mm.mremap(0x70000000, 4096, 8192, MREMAP.MAYMOVE)), E.EFAULT);
  t.is(errno(() => mm.mremap(c, 4096, 0, 0)), E.EINVAL);
  const d = mm.mremap(c, 4096, 4096, MREMAP.MAYMOVE | MREMAP.DONTUNMAP);
  t.deepEqual([...mm.memory.read(d, 3)], [1, 2, 3]);
  t.deepEqual([...mm.memory.read(c, 3)], [0, 0, 0]);
});

test('madvise DONTNEED zeroes private anon, re-reads private files, keeps shared; mincore', (t) => {
  const { mm } = setup();
  const a = mm.mmap(0, 2 * 4096, RW, ANON);
  mm.memory.write(a, new Uint8Array([5]));
  t.deepEqual([...mm.mincore(a, 8192)], [1, 0]);
  mm.madvise(a, 8192, MADV.DONTNEED);
  t.is(mm.memory.read(a, 1)[0], 0);
  t.deepEqual([...mm.mincore(a, 8192)], [0, 0]);
  const f = mm.mmap(0, 4096, RW, MAP.PRIVATE, file(new Uint8Array([42, 43])), 0, O_RDONLY);
  mm.memory.write(f, new Uint8Array([1]));
  mm.madvise(f, 4096, MADV.DONTNEED);
  t.is(mm.memory.read(f, 1)[0], 42);
  const s = mm.mmap(0, 4096, RW, MAP.SHARED | MAP.ANONYMOUS);
  mm.memory.write(s, new Uint8Array([8]));
  mm.madvise(s, 4096, MADV.DONTNEED);
  t.is(mm.memory.read(s, 1)[0], 8);
  t.is(errno(() => mm.madvise(a, 4096, 7)), E.EINVAL);
  t.is(errno(() => mm.madvise(a + 1, 4096, MADV.NORMAL)), E.EINVAL);
  t.is(errno(() => mm.madvise(a, 4 * 4096, MADV.WILLNEED)), E.ENOMEM);
  t.is(errno(() => mm.mincore(a + 4096, 8192)), E.ENOMEM);
  t.is(errno(() => mm.mincore(a + 5, 8192)), E.EINVAL);
  t.notThrows(() => mm.msync(a, 8192, 4));
  t.is(errno(() => mm.msync(a, 8192, 5)), E.EINVAL);
  t.is(errno(() => mm.msync(a + 4096, 8192, 4)), E.ENOMEM);
  t.is(errno(() => mm.mlock(a + 8192, 4096)), E.ENOMEM);
  t.notThrows(() => mm.mlock(a + 10, 100));
});

test('close releases every block and closes the engine', (t) => {
  const { eng, mm } = setup();
  mm.mmap(0, 4096, RW, ANON);
  mm.mmap(0x10000000, 4096, RW, ANON | MAP.FIXED);
  mm.close();
  t.is(eng.blocks.size, 0);
  t.true(eng.closed);
});

test('a buffer grown page by page by mremap, a page mapped beside it each time, needs few engine blocks', (t) => {
  const { eng, mm } = setup();
  let addr = mm.mmap(0, 4096, RW, ANON);
  let len = 4096;
  for (let i = 0; i < 400; i++) { // one block per mapping or growth would make 800 (and at 2048, ENOMEM)
    mm.mmap(0, 4096, RW, ANON); // a neighbour below
    t.is(errno(() => { addr = mm.mremap(addr, len, len + 4096, MREMAP.MAYMOVE, 0); }), 0);
    len += 4096;
    // and one right after it: the next growth cannot happen in place, it moves
    if (i % 2) t.is(errno(() => mm.mmap(addr + len, 4096, RW, ANON | MAP.FIXED_NOREPLACE)), 0);
  }
  t.true(eng.blocks.size < 40, `${eng.blocks.size} blocks`);
});
