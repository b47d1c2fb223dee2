// Shared memory between address spaces on the real engine: one segment's pages in two engines, a guest
// store seen by the other side, munmap/mprotect per address space, and reused engines never keeping
// another process's shared pages.
import test from 'ava';
import { AddressSpace } from '../../../src/emu/mm/address-space.js';
import { forkAddressSpace } from '../../../src/emu/mm/fork.js';
import { MAP, PROT } from '../../../src/emu/mm/layout.js';

const RW = PROT.READ | PROT.WRITE;
const SHARED = MAP.SHARED | MAP.ANONYMOUS | MAP.FIXED;
const CODE = 0x400000, DATA = 0x500000;

/** mov rax, DATA ; mov byte [rax], 7 ; mov eax, 60 ; syscall */
function storeProgram(): Uint8Array {
  const imm = Buffer.alloc(8);
  imm.writeBigUInt64LE(BigInt(DATA));
  return new Uint8Array([0x48, 0xb8, ...imm, 0xc6, 0x00, 0x07, 0xb8, 60, 0, 0, 0, 0x0f, 0x05]);
}

test('a guest store in the child is seen by the parent; munmap and mprotect stay per process', (t) => {
  const parent = AddressSpace.create('shared-test');
  parent.mmap(CODE, 4096, PROT.READ | PROT.EXEC, MAP.PRIVATE | MAP.ANONYMOUS | MAP.FIXED);
  parent.poke(CODE, storeProgram());
  parent.mmap(DATA, 8192, RW, SHARED);
  parent.memory.write(DATA + 4096, new Uint8Array([1, 2, 3]));
  const child = forkAddressSpace(parent);
  try {
    t.deepEqual([...child.memory.read(DATA + 4096, 3)], [1, 2, 3]);
    child.engine.onSyscall(() => { child.engine.stop(); return 0; });
    child.engine.run(CODE, 2_000_000);
    t.is(parent.memory.read(DATA, 1)[0], 7, 'the store reached the parent');
    child.mprotect(DATA, 4096, PROT.READ);
    parent.memory.write(DATA, new Uint8Array([8]));
    t.is(child.memory.read(DATA, 1)[0], 8);
    parent.munmap(DATA + 4096, 4096);
    t.deepEqual([...child.memory.read(DATA + 4096, 3)], [1, 2, 3], 'still mapped in the child');
    parent.mmap(DATA + 4096, 4096, RW, MAP.PRIVATE | MAP.ANONYMOUS | MAP.FIXED);
    parent.memory.write(DATA + 4096, new Uint8Array([9]));
    t.is(child.memory.read(DATA + 4096, 1)[0], 1, 'a private mapping in its place is private');
  } finally {
    child.close();
    parent.close();
  }
});

test('an engine reused after a process with shared memory shows none of it', (t) => {
  const a = AddressSpace.create('shared-reuse');
  a.mmap(DATA, 4096, RW, SHARED);
  const b = forkAddressSpace(a);
  a.memory.write(DATA, new Uint8Array([5]));
  a.close();
  const c = AddressSpace.create('shared-reuse');
  try {
    c.mmap(DATA, 4096, RW, MAP.PRIVATE | MAP.ANONYMOUS | MAP.FIXED);
    t.is(c.memory.read(DATA, 1)[0], 0);
    c.memory.write(DATA, new Uint8Array([6]));
    t.is(b.memory.read(DATA, 1)[0], 5, 'the survivor keeps its bytes');
  } finally {
    c.close();
    b.close();
  }
});
