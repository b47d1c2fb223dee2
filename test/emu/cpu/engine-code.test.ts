// Translated code kept across memory changes (src/emu/native/src/engine_code.cc): it survives exactly
// where the bytes under it stay the same, and never runs from a page that is not executable. protAt's
// bit 16 (P_CODE) shows whether a page may still hold code.
import test from 'ava';
import { Engine, PROT } from '../../../src/emu/cpu/engine.js';
import { code, x86 } from './x86.js';

const CODE = 0x400000;
const DATA = 0x600000;
const PAGE = 4096;
const RX = PROT.READ | PROT.EXEC, RW = PROT.READ | PROT.WRITE;
const P_MAPPED = 8, P_CODE = 16;

/** rbx = v, then int3. */
const setRbx = (v: number) => code(x86.mov('rbx', v), x86.int3());

function engine(): { e: Engine; text: Uint8Array; data: Uint8Array } {
  const e = new Engine();
  const text = new Uint8Array(e.mapMemory(CODE, 4 * PAGE));
  const data = new Uint8Array(e.mapMemory(DATA, 4 * PAGE, RW));
  e.onSyscall(() => 0);
  return { e, text, data };
}

test('flushCode drops translated code also after the TLB was flushed', (t) => {
  const { e, text } = engine();
  e.load(CODE, setRbx(1), RX);
  e.run(CODE, 0);
  t.is(e.get('rbx'), 1n);
  e.protect(DATA, PAGE, PROT.READ); // any permission change flushes the TLB
  text.set(setRbx(2));
  e.flushCode(CODE, PAGE);
  e.run(CODE, 0);
  t.is(e.get('rbx'), 2n);
  e.close();
});

test('load keeps the code of pages whose bytes stay the same and drops it where they change', (t) => {
  const { e } = engine();
  e.load(CODE, setRbx(1), RX);
  t.is(e.protAt(CODE), P_MAPPED | RX);
  e.run(CODE, 0);
  t.is(e.protAt(CODE), P_MAPPED | RX | P_CODE, 'executed: may hold code');
  e.load(CODE, setRbx(1), RX);
  t.is(e.protAt(CODE) & P_CODE, P_CODE, 'same bytes: code kept');
  e.run(CODE, 0);
  t.is(e.get('rbx'), 1n);
  e.load(CODE, setRbx(3), RX);
  t.is(e.protAt(CODE) & P_CODE, 0, 'new bytes: code dropped');
  e.run(CODE, 0);
  t.is(e.get('rbx'), 3n);
  t.throws(() => e.load(0x900000, setRbx(1), RX), { instanceOf: RangeError }, 'unbacked');
  e.close();
});

test('load writes the bytes then zeros to the page end', (t) => {
  const { e, text } = engine();
  text.fill(0xcc, 0, 3 * PAGE);
  e.load(CODE, new Uint8Array(PAGE + 10).fill(7), PROT.READ);
  t.is(text[PAGE + 9], 7);
  t.is(text[PAGE + 10], 0);
  t.is(text[2 * PAGE - 1], 0);
  t.is(text[2 * PAGE], 0xcc, 'the next page is not touched');
  t.is(e.protAt(CODE + PAGE), P_MAPPED | PROT.READ);
  t.is(e.protAt(CODE + 2 * PAGE), P_MAPPED);
  e.close();
});

test('code kept on a page that is not executable is dropped when protect makes it executable again', (t) => {
  const { e, text } = engine();
  e.load(CODE, setRbx(1), RX);
  e.run(CODE, 0);
  e.load(CODE, setRbx(1), PROT.READ | PROT.WRITE);
  t.is(e.protAt(CODE) & P_CODE, P_CODE, 'kept while not executable (it cannot run)');
  t.like(e.run(CODE, 0), { kind: 'fault', access: 'exec', addr: CODE });
  text.set(setRbx(4)); // a write that flushes nothing: the page is not executable
  e.protect(CODE, PAGE, RX);
  t.is(e.protAt(CODE) & P_CODE, 0);
  e.run(CODE, 0);
  t.is(e.get('rbx'), 4n);
  e.close();
});

test('a block running on from an executable page into one that no longer is faults there, its code kept or not', (t) => {
  const { e, text } = engine();
  // At CODE+0xff0: xor ecx,ecx; jmp to CODE+0xff6, where a 10-byte movabs crosses into the next page.
  const at = 0xff0;
  text.set([...x86.xorEcxEcx(), 0xeb, 0x02, 0x90, 0x90, ...x86.mov('rax', 0x1122334455667788n), ...x86.int3()], at);
  e.protect(CODE, 2 * PAGE, RX);
  t.is(e.run(CODE + at, 0).kind, 'interrupt');
  t.is(e.get('rax'), 0x1122334455667788n);
  e.set('rax', 0);
  e.load(CODE + PAGE, text.slice(PAGE, 2 * PAGE), PROT.READ); // same bytes, no longer executable
  t.like(e.run(CODE + at, 0), { kind: 'fault', access: 'exec', addr: CODE + PAGE });
  t.is(e.get('rax'), 0n, 'the crossing instruction did not run');
  e.close();
});

test('protect drops code of pages that stop being executable and keeps it where EXEC stays', (t) => {
  const { e } = engine();
  e.load(CODE, setRbx(1), RX);
  e.run(CODE, 0);
  e.protect(CODE, PAGE, RX | PROT.WRITE);
  t.is(e.protAt(CODE) & P_CODE, P_CODE);
  e.protect(CODE, PAGE, PROT.READ);
  t.is(e.protAt(CODE) & P_CODE, 0);
  e.close();
});

test('recycle: a new CPU, no access anywhere, code pages keep their bytes, the rest reads zero', (t) => {
  const { e, text, data } = engine();
  e.load(CODE, setRbx(5), RX);
  data[100] = 9;
  e.run(CODE, 0);
  const fresh = new Engine();
  const r = e.recycle();
  t.throws(() => e.get('rbx'), { message: 'pbash: the CPU engine is closed' });
  e.close(); // as on a closed engine: nothing
  t.is(r.uses, 1);
  t.is(r.get('rbx'), 0n);
  t.deepEqual(r.readRegs(), fresh.readRegs());
  t.is(r.get('mxcsr'), fresh.get('mxcsr'));
  t.is(r.protAt(CODE), P_MAPPED | P_CODE);
  t.is(r.protAt(DATA), P_MAPPED);
  t.is(data[100], 0);
  t.deepEqual(text.subarray(0, 11), setRbx(5));
  t.like(r.run(CODE, 0), { kind: 'fault', access: 'exec', addr: CODE });
  r.onSyscall(() => 0);
  r.load(CODE, setRbx(5), RX);
  t.is(r.protAt(CODE) & P_CODE, P_CODE, 'the same program again: its code is kept');
  r.run(CODE, 0);
  t.is(r.get('rbx'), 5n);
  const r2 = r.recycle();
  r2.load(CODE, setRbx(6), RX);
  r2.run(CODE, 0);
  t.is(r2.get('rbx'), 6n, 'another program at the same address runs its own code');
  r2.close();
  fresh.close();
});

test('copyFrom copies bytes and permissions, keeps code where bytes match, zeroes what the source never touched', (t) => {
  const parent = engine();
  parent.e.load(CODE, code(x86.mov('rax', DATA), x86.loadRbxFromRax(), x86.int3()), RX);
  parent.data[0] = 42;
  parent.e.protect(DATA + PAGE, PAGE, PROT.READ);
  parent.e.run(CODE, 0);
  t.is(parent.e.get('rbx'), 42n);

  // The child engine ran the same code before (kept) and has stale bytes in pages the parent never touched.
  const child = engine();
  child.e.load(CODE, code(x86.mov('rax', DATA), x86.loadRbxFromRax(), x86.int3()), RX);
  child.e.run(CODE, 0);
  child.data[2 * PAGE] = 77;
  child.e.load(CODE + PAGE, setRbx(1), RX);
  child.e.run(CODE + PAGE, 0);
  child.e.copyFrom(parent.e, CODE, 4 * PAGE);
  child.e.copyFrom(parent.e, DATA, 4 * PAGE);
  t.is(child.e.protAt(CODE), P_MAPPED | RX | P_CODE, 'same bytes: code kept');
  t.is(child.e.protAt(CODE + PAGE), P_MAPPED, 'the parent has nothing there');
  t.is(child.e.protAt(DATA), P_MAPPED | RW);
  t.is(child.e.protAt(DATA + PAGE), P_MAPPED | PROT.READ);
  t.is(child.data[0], 42);
  t.is(child.data[2 * PAGE], 0);
  t.is(child.text[PAGE], 0);
  child.e.run(CODE, 0);
  t.is(child.e.get('rbx'), 42n);
  child.data[0] = 1;
  t.is(parent.data[0], 42, 'the copies are separate');
  t.throws(() => child.e.copyFrom(child.e, CODE, PAGE));
  t.throws(() => child.e.copyFrom(parent.e, 0x900000, PAGE), { instanceOf: RangeError });
  parent.e.close();
  child.e.close();
});
