// The address space on the real engine: protections are enforced by the CPU, reservations cost nothing.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { Engine } from '../../../src/emu/cpu/engine.js';
import { AddressSpace } from '../../../src/emu/mm/address-space.js';
import { MAP, PROT } from '../../../src/emu/mm/layout.js';

const FIX = MAP.PRIVATE | MAP.ANONYMOUS | MAP.FIXED;
const CODE = 0x400000, DATA = 0x500000;

/** mov rax, imm64 ; <op> ; mov eax, 60 ; syscall */
function program(target: number, op: number[]): Uint8Array {
  const imm = Buffer.alloc(8);
  imm.writeBigUInt64LE(BigInt(target));
  return new Uint8Array([0x48, 0xb8, ...imm, ...op, 0xb8, 60, 0, 0, 0, 0x0f, 0x05]);
}
const STORE = [0xc6, 0x00, 0x01]; // mov byte [rax], 1
const LOAD = [0x8a, 0x00]; // mov al, [rax]
const JUMP = [0xff, 0xe0]; // jmp rax

function run(dataProt: number, op: number[], target = DATA) {
  const mm = new AddressSpace(new Engine());
  try {
    mm.mmap(CODE, 4096, PROT.READ | PROT.EXEC, FIX);
    mm.poke(CODE, program(target, op));
    mm.mmap(DATA, 4096, PROT.READ | PROT.WRITE, FIX);
    mm.mprotect(DATA, 4096, dataProt);
    let exited = false;
    mm.engine.onSyscall(() => { exited = true; mm.engine.stop(); return 0; });
    const r = mm.engine.run(CODE, 2_000_000);
    return { r, exited, byte: dataProt & PROT.READ ? mm.memory.read(DATA, 1)[0] : -1 };
  } finally {
    mm.close();
  }
}

test('a store to a page made read-only faults at that address', (t) => {
  const ok = run(PROT.READ | PROT.WRITE, STORE);
  t.true(ok.exited);
  t.is(ok.byte, 1);
  const { r, exited } = run(PROT.READ, STORE);
  t.false(exited);
  t.like(r, { kind: 'fault', addr: DATA, access: 'write' });
});

test('touching PROT_NONE faults; executing a non-exec page faults', (t) => {
  t.like(run(PROT.NONE, LOAD).r, { kind: 'fault', addr: DATA, access: 'read' });
  t.true(run(PROT.READ, LOAD).exited);
  t.like(run(PROT.READ | PROT.WRITE, JUMP).r, { kind: 'fault', addr: DATA, access: 'exec' });
});

test('an unmapped page faults after munmap', (t) => {
  const mm = new AddressSpace(new Engine());
  mm.mmap(CODE, 4096, PROT.READ | PROT.EXEC, FIX);
  mm.poke(CODE, program(DATA, LOAD));
  mm.mmap(DATA, 8192, PROT.READ | PROT.WRITE, FIX);
  mm.munmap(DATA, 4096);
  mm.engine.onSyscall(() => { mm.engine.stop(); return 0; });
  t.like(mm.engine.run(CODE, 2_000_000), { kind: 'fault', addr: DATA, access: 'read' });
  mm.close();
});

const rssKiB = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'latin1'))![1]);

test('a 4 GiB PROT_NONE reservation costs no host memory; touched pages do', (t) => {
  const mm = new AddressSpace(new Engine());
  const before = rssKiB();
  const base = mm.mmap(0, 4 * 1024 ** 3, PROT.NONE, MAP.PRIVATE | MAP.ANONYMOUS | MAP.NORESERVE);
  const afterReserve = rssKiB();
  t.true(afterReserve - before < 16 * 1024, `reservation grew RSS by ${afterReserve - before} KiB`);
  mm.mprotect(base + 1024 ** 3, 1 << 20, PROT.READ | PROT.WRITE);
  mm.memory.write(base + 1024 ** 3, new Uint8Array(1 << 20).fill(7));
  t.deepEqual([...mm.mincore(base + 1024 ** 3 - 4096, 3 * 4096)], [0, 1, 1]);
  t.true(rssKiB() - before < 32 * 1024);
  mm.close();
});
