// GuestMemory over an AddressSpace: protections, EFAULT, strings and vectors.
import test from 'ava';
import { AddressSpace } from '../../../src/emu/mm/address-space.js';
import { LinuxError, E } from '../../../src/emu/kernel/errno.js';
import { MAP, PROT } from '../../../src/emu/mm/layout.js';
import type { Engine } from '../../../src/emu/cpu/engine.js';
import { FakeEngine } from './fake-engine.js';

const RW = PROT.READ | PROT.WRITE;
const FIX = MAP.PRIVATE | MAP.ANONYMOUS | MAP.FIXED;
const errno = (fn: () => unknown): number => {
  try { fn(); } catch (e) { if (e instanceof LinuxError) return e.errno; throw e; }
  return 0;
};
const A = 0x10000000;
function setup() {
  const mm = new AddressSpace(new FakeEngine() as unknown as Engine);
  mm.mmap(A, 0x2000, RW, FIX);
  mm.mmap(A + 0x2000, 0x1000, RW, FIX); // a second engine block right after
  mm.mmap(A + 0x3000, 0x1000, PROT.READ, FIX);
  mm.mmap(A + 0x4000, 0x1000, PROT.NONE, FIX);
  return { mm, m: mm.memory };
}

test('reads and writes within and across blocks', (t) => {
  const { m } = setup();
  m.writeU32(A, 0xdeadbeef);
  t.is(m.readU32(A), 0xdeadbeef);
  t.is(m.readI32(A), 0xdeadbeef | 0);
  m.writeU64(A + 0x1ffc, 0x1122334455667788n); // straddles the block boundary
  t.is(m.readBig(A + 0x1ffc), 0x1122334455667788n);
  t.is(m.readU64(A + 0x1ffc), Number(0x1122334455667788n));
  t.is(m.slices(A + 0x1000, 0x2000, false).length, 2);
  const data = new Uint8Array(0x2000).map((_, i) => i & 0xff);
  m.write(A + 0x1000, data);
  t.deepEqual(m.read(A + 0x1000, 0x2000), data);
});

test('EFAULT: unmapped, read-only for writes, PROT_NONE, overflowing ranges', (t) => {
  const { m } = setup();
  t.is(errno(() => m.read(A - 1, 2)), E.EFAULT);
  t.is(errno(() => m.read(0, 1)), E.EFAULT);
  t.is(m.read(A + 0x3000, 4).length, 4);
  t.is(errno(() => m.write(A + 0x3000, new Uint8Array(1))), E.EFAULT);
  t.is(errno(() => m.writeU32(A + 0x2ffe, 1)), E.EFAULT); // last 2 bytes land in the read-only page
  t.is(errno(() => m.read(A + 0x4000, 1)), E.EFAULT);
  t.is(errno(() => m.read(A + 0x3fff, 2)), E.EFAULT);
  t.is(errno(() => m.read(2 ** 60, 1)), E.EFAULT);
  t.is(errno(() => m.slices(A + 0x4ff0, 0x100, false)), E.EFAULT);
  t.deepEqual(m.slices(A + 0x4000, 0, true), []);
});

test('cstring across pages and blocks; EFAULT into unmapped or PROT_NONE pages; ENAMETOOLONG', (t) => {
  const { m, mm } = setup();
  m.write(A + 0x1ffd, Buffer.from('abcdef\0'));
  t.is(m.cstring(A + 0x1ffd), 'abcdef');
  m.write(A + 0x2ffc, Buffer.from('wxyz')); // runs into the read-only page, NUL there
  t.is(m.cstring(A + 0x2ffc), 'wxyz');
  t.is(m.cstring(A + 0x3000), '');
  m.write(A + 0x2000, new Uint8Array(0x1000).fill(0x41));
  mm.munmap(A + 0x3000, 0x1000);
  t.is(errno(() => m.cstring(A + 0x2ff0)), E.EFAULT); // no NUL before the hole
  t.is(errno(() => m.cstring(A + 0x2ff0, 8)), E.ENAMETOOLONG);
  m.write(A + 0x1ff8, Buffer.from('ab\0'));
  t.is(m.cstring(A + 0x1ff8, 3), 'ab'); // max counts the NUL
  t.is(errno(() => m.cstring(A + 0x1ff8, 2)), E.ENAMETOOLONG);
  t.is(errno(() => m.cstring(A + 0x4000)), E.EFAULT); // PROT_NONE
});

test('iovecs: EINVAL for bad counts and lengths, EFAULT for a bad array', (t) => {
  const { m } = setup();
  const v = new DataView(new ArrayBuffer(32));
  v.setBigUint64(0, BigInt(A), true); v.setBigUint64(8, 10n, true);
  v.setBigUint64(16, BigInt(A + 100), true); v.setBigUint64(24, 20n, true);
  m.write(A + 0x100, new Uint8Array(v.buffer));
  t.deepEqual(m.iovecs(A + 0x100, 2), [{ base: A, len: 10 }, { base: A + 100, len: 20 }]);
  t.deepEqual(m.iovecs(0, 0), []);
  t.is(errno(() => m.iovecs(A + 0x100, -1)), E.EINVAL);
  t.is(errno(() => m.iovecs(A + 0x100, 1025)), E.EINVAL);
  t.is(errno(() => m.iovecs(A + 0x4000, 1)), E.EFAULT);
  v.setBigUint64(8, 2n ** 63n, true);
  m.write(A + 0x100, new Uint8Array(v.buffer));
  t.is(errno(() => m.iovecs(A + 0x100, 2)), E.EINVAL);
  v.setBigUint64(8, 2n ** 62n, true); v.setBigUint64(24, 2n ** 62n, true);
  m.write(A + 0x100, new Uint8Array(v.buffer));
  t.is(errno(() => m.iovecs(A + 0x100, 2)), E.EINVAL); // total past SSIZE_MAX
});

test('stringArray: argv vectors, NULL array, EFAULT, E2BIG', (t) => {
  const { m, mm } = setup();
  m.write(A + 0x800, Buffer.from('one\0two\0'));
  m.writeU64(A, A + 0x800); m.writeU64(A + 8, A + 0x804); m.writeU64(A + 16, 0);
  t.deepEqual(m.stringArray(A), ['one', 'two']);
  t.deepEqual(m.stringArray(0), []);
  m.writeU64(A + 8, A + 0x4000);
  t.is(errno(() => m.stringArray(A)), E.EFAULT);
  const big = mm.mmap(0, 200 * 1024, RW, MAP.PRIVATE | MAP.ANONYMOUS);
  m.write(big, new Uint8Array(140000).fill(0x61));
  m.writeU64(A + 8, big);
  t.is(errno(() => m.stringArray(A)), E.E2BIG);
});
