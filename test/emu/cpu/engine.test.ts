import test from 'ava';
import { Engine, MAX_BLOCK, PROT, type StopReason } from '../../../src/emu/cpu/engine.js';
import { code, x86 } from './x86.js';

const CODE = 0x400000;
const DATA = 0x600000;
const PAGE = 4096;

/** An engine with `bytes` at CODE (R|X) and one RW data page at DATA. */
function setup(bytes: Uint8Array, handler: () => number | bigint | undefined = () => -38) {
  const e = new Engine();
  const text = new Uint8Array(e.mapMemory(CODE, 0x10000, PROT.READ | PROT.EXEC));
  text.set(bytes);
  const data = new Uint8Array(e.mapMemory(DATA, 0x10000, PROT.READ | PROT.WRITE));
  e.onSyscall(handler);
  return { e, text, data };
}

test('syscall: arguments in sysArgs, the result written to RAX, RIP after the SYSCALL', (t) => {
  const prog = code(
    x86.mov('rax', 39), x86.mov('rdi', 0x1122334455667788n), x86.mov('rsi', 2), x86.mov('rdx', 3),
    x86.mov('r10', 4), x86.mov('r8', 5), x86.mov('r9', 0xffffffffffffffffn), x86.syscall(), x86.movRbxRax(), x86.int3(),
  );
  const seen: bigint[][] = [];
  let ripInside = 0n;
  const { e } = setup(prog, () => {
    seen.push([...e.sysArgs]);
    t.is(e.sysArgs32[0], 39);
    t.is(e.sysArgs32[2], 0x55667788);
    t.is(e.sysArgs32[3], 0x11223344);
    ripInside = e.get('rip');
    return -2;
  });
  const r = e.run(CODE, 0);
  const syscallEnd = CODE + 7 * 10 + 2;
  t.deepEqual(seen, [[39n, 0x1122334455667788n, 2n, 3n, 4n, 5n, 0xffffffffffffffffn]]);
  t.is(ripInside, BigInt(syscallEnd));
  t.is(e.get('rbx'), 0xfffffffffffffffen);
  t.deepEqual(r, { kind: 'interrupt', intno: 3, rip: syscallEnd + 4 });
  e.close();
});

test('syscall: a BigInt result is written as its 64 bits; undefined leaves RAX untouched', (t) => {
  const prog = code(x86.mov('rax', 1), x86.syscall(), x86.movRbxRax(), x86.mov('rax', 7), x86.syscall(), x86.int3());
  const { e } = setup(prog, () => (e.sysArgs[0] === 1n ? 0xdeadbeefcafef00dn : undefined));
  t.is(e.run(CODE, 0).kind, 'interrupt');
  t.is(e.get('rbx'), 0xdeadbeefcafef00dn);
  t.is(e.get('rax'), 7n);
  e.close();
});

test('stop() parks after the syscall; run() from RIP resumes exactly', (t) => {
  const prog = code(x86.mov('rax', 1), x86.syscall(), x86.movRbxRax(), x86.mov('rax', 2), x86.syscall(), x86.int3());
  const nrs: bigint[] = [];
  const { e } = setup(prog, () => {
    nrs.push(e.sysArgs[0]);
    if (e.sysArgs[0] === 1n) { e.stop(); return undefined; }
    return 0;
  });
  t.deepEqual(e.run(CODE, 0), { kind: 'stopped' });
  t.is(e.get('rip'), BigInt(CODE + 12));
  t.deepEqual(nrs, [1n]);
  e.set('rax', 55); // the kernel completes the parked call later
  const r = e.run(Number(e.get('rip')), 0);
  t.is(r.kind, 'interrupt');
  t.deepEqual(nrs, [1n, 2n]);
  t.is(e.get('rbx'), 55n);
  e.close();
});

test('setting RIP inside the handler redirects the guest there (Linux view, no off-by-2)', (t) => {
  const target = CODE + 0x100;
  const prog = code(x86.mov('rax', 15), x86.syscall(), x86.ud2());
  const { e, text } = setup(prog, () => { e.set('rip', target); return 0; });
  text.set(code(x86.mov('rbx', 77), x86.int3()), 0x100);
  t.deepEqual(e.run(CODE, 0), { kind: 'interrupt', intno: 3, rip: target + 11 });
  t.is(e.get('rbx'), 77n);
  e.close();
});

test('a throwing handler stops the run and the error reaches the caller; the engine stays usable', (t) => {
  const prog = code(x86.mov('rax', 60), x86.syscall(), x86.int3());
  let calls = 0;
  const { e } = setup(prog, () => { if (calls++ === 0) throw new Error('boom'); return 0; });
  t.throws(() => e.run(CODE, 0), { message: 'boom' });
  t.is(e.run(CODE, 0).kind, 'interrupt');
  t.is(calls, 2);
  e.close();
});

test('a handler returning a non-number throws a TypeError from run()', (t) => {
  const { e } = setup(code(x86.mov('rax', 1), x86.syscall(), x86.int3()), () => 'x' as unknown as number);
  t.throws(() => e.run(CODE, 0), { instanceOf: TypeError });
  e.close();
});

test('run() inside a syscall handler is refused', (t) => {
  const { e } = setup(code(x86.mov('rax', 1), x86.syscall(), x86.int3()), () => { e.run(CODE, 0); return 0; });
  t.throws(() => e.run(CODE, 0), { message: /while a guest is running/ });
  e.close();
});

test('interrupts and exceptions: int3, ud2, divide error, int 0x80, hlt', (t) => {
  const cases: Array<[Uint8Array, (start: number) => StopReason]> = [
    [code(x86.int3()), (s) => ({ kind: 'interrupt', intno: 3, rip: s + 1 })],
    [code(x86.ud2()), (s) => ({ kind: 'illegal', rip: s })],
    [code(x86.xorEcxEcx(), x86.xorEdxEdx(), x86.movEax(1), x86.divEcx()), (s) => ({ kind: 'interrupt', intno: 0, rip: s + 9 })],
    [code(x86.int80()), (s) => ({ kind: 'interrupt', intno: 0x80, rip: s + 2 })],
    [code(x86.hlt()), (s) => ({ kind: 'interrupt', intno: 13, rip: s })],
  ];
  for (const [bytes, want] of cases) {
    const { e } = setup(bytes);
    t.deepEqual(e.run(CODE, 0), want(CODE));
    e.close();
  }
});

test('protections: read-only store, fetch from a data page, PROT_NONE, unmapped; the fault names the byte', (t) => {
  const AT = DATA + 0x123;
  const { e } = setup(code(x86.mov('rax', AT), x86.loadRbxFromRax(), x86.storeRax(1), x86.int3()));
  e.protect(DATA, PAGE, PROT.READ);
  t.deepEqual(e.run(CODE, 0), { kind: 'fault', addr: AT, access: 'write', mapped: true, rip: CODE + 13 });
  t.is(e.get('rax'), BigInt(AT), 'finding the byte left the registers as the fault left them');
  e.protect(DATA, PAGE, PROT.READ | PROT.WRITE);
  t.is(e.run(CODE + 13, 0).kind, 'interrupt', 'resumes at the faulting store once writable');
  e.protect(DATA, PAGE, PROT.NONE);
  t.deepEqual(e.run(CODE, 0), { kind: 'fault', addr: AT, access: 'read', mapped: true, rip: CODE + 10 });
  e.close();

  const jump = setup(code(x86.mov('rax', DATA + 0x10), x86.jmpRax()));
  jump.data.set(x86.int3(), 0x10);
  t.deepEqual(jump.e.run(CODE, 0), { kind: 'fault', addr: DATA + 0x10, access: 'exec', mapped: true, rip: DATA + 0x10 });
  jump.e.protect(DATA, PAGE, PROT.READ | PROT.EXEC);
  t.is(jump.e.run(CODE, 0).kind, 'interrupt', 'executable after protect(R|X)');
  jump.e.close();

  const far = setup(code(x86.mov('rax', 0x7000_0000_0abc), x86.loadRbxFromRax()));
  t.deepEqual(far.e.run(CODE, 0), { kind: 'fault', addr: 0x7000_0000_0abc, access: 'read', mapped: false, rip: CODE + 10 });
  far.e.close();
});

test('removing EXEC from running code makes the next fetch fault', (t) => {
  const { e } = setup(code(x86.mov('rax', 1), x86.syscall(), x86.int3()), () => 0);
  t.is(e.run(CODE, 0).kind, 'interrupt');
  e.protect(CODE, PAGE, PROT.READ);
  t.like(e.run(CODE, 0), { kind: 'fault', access: 'exec', addr: CODE });
  e.close();
});

test('guest stores and JS views share memory; writes to code take effect after flushCode', (t) => {
  const { e, text, data } = setup(code(x86.mov('rax', DATA), x86.storeRax(0x1234), x86.loadRbxFromRax(), x86.int3()));
  t.is(e.run(CODE, 0).kind, 'interrupt');
  t.is(data[0], 0x34);
  t.is(e.get('rbx'), 0x1234n);
  text.set(x86.storeRax(0x4321), 10);
  e.flushCode(CODE, PAGE);
  e.run(CODE, 0);
  t.is(e.get('rbx'), 0x4321n);
  e.close();
});

test('timeout slices an infinite loop; a sliced computation ends exactly', (t) => {
  const loop = setup(code(x86.incRbx(), x86.jmpBack(3)));
  // a slice may end before the first block ran when the host is starved (the timer is wall-clock): run on
  for (let runs = 0; runs < 50 && (runs === 0 || loop.e.get('rbx') === 0n); runs++) {
    t.deepEqual(loop.e.run(Number(loop.e.get('rip')) || CODE, 5000), { kind: 'timeout' });
    const rip = Number(loop.e.get('rip'));
    t.true(rip === CODE || rip === CODE + 3);
  }
  t.true(loop.e.get('rbx') > 0n);
  loop.e.close();

  const n = 30_000_000n;
  const sum = setup(code(x86.mov('rcx', n), x86.mov('rbx', 0), x86.addRbxRcx(), x86.decRcx(), x86.jnzBack(6), x86.int3()));
  let r = sum.e.run(CODE, 2000);
  let slices = 1;
  while (r.kind === 'timeout') { r = sum.e.run(Number(sum.e.get('rip')), 2000); slices++; }
  t.is(r.kind, 'interrupt');
  t.is(sum.e.get('rbx'), (n * (n + 1n)) / 2n);
  t.true(slices > 1, `sliced into ${slices} runs`);
  sum.e.close();
});

test('a 4 GiB reservation costs no host memory; touched pages do; discard zeroes and returns them', (t) => {
  const e = new Engine();
  const before = process.memoryUsage().rss;
  const big = 0x1_0000_0000;
  const ab = e.mapMemory(big, 4 * 1024 ** 3);
  t.is(ab.byteLength, 4 * 1024 ** 3);
  t.true(process.memoryUsage().rss - before < 32 * 1024 ** 2, 'RSS grew less than 32 MiB');
  t.is(e.residency(big, 16 * PAGE).reduce((a, b) => a + b, 0), 0);
  t.is(e.protAt(big + 123 * PAGE), 8, 'mapped, no access');

  e.protect(big, 16 * PAGE, PROT.READ | PROT.WRITE);
  const text = new Uint8Array(e.mapMemory(CODE, PAGE, PROT.READ | PROT.EXEC));
  text.set(code(x86.mov('rax', big + 5 * PAGE), x86.storeRax(99), x86.int3()));
  t.is(e.run(CODE, 0).kind, 'interrupt');
  t.deepEqual([...e.residency(big + 4 * PAGE, 3 * PAGE)], [0, 1, 0]);
  const view = new Uint8Array(ab, 5 * PAGE, 8);
  t.is(view[0], 99);
  e.discard(big, 16 * PAGE);
  t.deepEqual([...e.residency(big + 4 * PAGE, 3 * PAGE)], [0, 0, 0]);
  t.is(view[0], 0);
  e.close();
});

test('mapMemory rejects overlaps and bad ranges; unmapMemory only exact blocks', (t) => {
  const e = new Engine();
  e.mapMemory(DATA, 2 * PAGE);
  t.throws(() => e.mapMemory(DATA + PAGE, PAGE), { message: /uc_mem_map_ptr/ });
  t.throws(() => e.mapMemory(DATA + 1, PAGE), { instanceOf: RangeError });
  t.throws(() => e.unmapMemory(DATA, PAGE), { instanceOf: RangeError });
  t.throws(() => e.mapMemory(0x1_0000_0000, MAX_BLOCK * 2), { instanceOf: RangeError });
  e.mapMemory(0x1_0000_0000, MAX_BLOCK);
  e.mapMemory(0x1_0000_0000 + MAX_BLOCK, MAX_BLOCK); // adjacent blocks make one bigger region
  e.unmapMemory(DATA, 2 * PAGE);
  t.is(e.protAt(DATA), 0);
  e.mapMemory(DATA + PAGE, PAGE);
  e.close();
});

test('an unmapped range faults as not mapped; its ArrayBuffer stays valid memory', (t) => {
  const { e, data } = setup(code(x86.mov('rax', DATA), x86.loadRbxFromRax(), x86.int3()));
  data[0] = 42;
  e.unmapMemory(DATA, 0x10000);
  t.like(e.run(CODE, 0), { kind: 'fault', addr: DATA, mapped: false });
  t.is(data[0], 42);
  e.close();
  t.is(data[0], 42, 'still readable after close');
});

test('registers: get/set, batch read/write, xmm and x87 bytes', (t) => {
  const e = new Engine();
  e.set('r12', 0xfedcba9876543210n);
  e.set('rdi', -1);
  e.set('fs_base', 0x7fff_0000_1000);
  t.is(e.get('r12'), 0xfedcba9876543210n);
  t.is(e.get('rdi'), 0xffffffffffffffffn);
  t.is(e.get('fs_base'), 0x7fff_0000_1000n);
  const regs = e.readRegs();
  regs[0] = 11n; // rax
  regs[16] = BigInt(CODE); // rip
  e.writeRegs(regs);
  t.is(e.get('rax'), 11n);
  t.is(e.get('rip'), BigInt(CODE));
  const x = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  e.setBytes('xmm9', x);
  t.deepEqual(e.getBytes('xmm9'), x);
  e.set('mxcsr', 0x1f80);
  t.is(e.get('mxcsr'), 0x1f80n);
  t.is(e.getBytes('st0').length, 10);
  t.throws(() => e.get('bogus' as 'rax'), { instanceOf: TypeError });
  e.close();
});

test('contexts: save, change, restore; restorable on another engine', (t) => {
  const e = new Engine();
  e.set('rbx', 1);
  e.setBytes('xmm3', new Uint8Array(16).fill(0xaa));
  const ctx = e.saveContext();
  e.set('rbx', 2);
  e.setBytes('xmm3', new Uint8Array(16));
  e.restoreContext(ctx);
  t.is(e.get('rbx'), 1n);
  t.deepEqual(e.getBytes('xmm3'), new Uint8Array(16).fill(0xaa));
  const other = new Engine();
  other.restoreContext(ctx);
  t.is(other.get('rbx'), 1n);
  t.throws(() => e.restoreContext({}), { instanceOf: TypeError });
  e.close();
  other.restoreContext(ctx); // a context outlives the engine that saved it
  other.close();
});

test('CPUID claims no AVX/AVX2 (Unicorn cannot run them)', (t) => {
  const { e } = setup(code(x86.movEax(1), x86.xorEcxEcx(), x86.cpuid(), x86.int3()));
  e.run(CODE, 0);
  const leaf1ecx = e.get('rcx');
  t.is(leaf1ecx & (1n << 28n), 0n, 'AVX');
  t.not(e.get('rdx') & (1n << 0n), 0n, 'FPU');
  e.close();
  const l7 = setup(code(x86.movEax(7), x86.xorEcxEcx(), x86.cpuid(), x86.int3()));
  l7.e.run(CODE, 0);
  t.is(l7.e.get('rbx') & (1n << 5n), 0n, 'AVX2');
  l7.e.close();
});

test('after close every call throws; close from inside the handler ends the run first', (t) => {
  const { e } = setup(code(x86.mov('rax', 1), x86.syscall(), x86.int3()), () => { e.close(); return 0; });
  t.deepEqual(e.run(CODE, 0), { kind: 'stopped' });
  for (const call of [() => e.run(CODE, 0), () => e.get('rax'), () => e.mapMemory(0x800000, PAGE),
    () => e.protect(CODE, PAGE, 0), () => e.saveContext(), () => e.residency(CODE, PAGE)]) {
    t.throws(call, { message: 'pbash: the CPU engine is closed' });
  }
  e.close(); // idempotent
});
