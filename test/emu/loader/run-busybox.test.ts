// Smoke: the loaded image really runs. A tiny local syscall stub (the real dispatch is the kernel's).
import test from 'ava';
import { AddressSpace } from '../../../src/emu/mm/address-space.js';
import { loadImage, type LoadedImage } from '../../../src/emu/loader/exec.js';
import { LinuxError } from '../../../src/emu/kernel/errno.js';
import { CREDS, hostFile, opener } from './helpers.js';

function runStub(img: LoadedImage): { out: string; status: number; stop: unknown } {
  const eng = img.mm.engine;
  const mm = img.mm;
  let out = '', status = -1;
  const tryErr = (fn: () => number): number => { try { return fn(); } catch (e) { if (e instanceof LinuxError) return -e.errno; throw e; } };
  eng.onSyscall(() => {
    const a = eng.sysArgs32;
    const arg = (i: number): number => a[2 * i] + a[2 * i + 1] * 2 ** 32;
    switch (arg(0)) {
      case 1: out += Buffer.from(mm.memory.read(arg(2), arg(3))).toString('latin1'); return arg(3);
      case 20: {
        let n = 0;
        for (const v of mm.memory.iovecs(arg(2), arg(3))) { out += Buffer.from(mm.memory.read(v.base, v.len)).toString('latin1'); n += v.len; }
        return n;
      }
      case 9: return tryErr(() => mm.mmap(arg(1), arg(2), arg(3), arg(4)));
      case 10: return tryErr(() => { mm.mprotect(arg(1), arg(2), arg(3)); return 0; });
      case 11: return tryErr(() => { mm.munmap(arg(1), arg(2)); return 0; });
      case 12: return mm.brk(arg(1));
      case 158: if (arg(1) === 0x1002) { eng.set('fs_base', arg(2)); return 0; } return -22;
      case 60: case 231: status = arg(1); eng.stop(); return 0;
      default: return -38;
    }
  });
  eng.set('rsp', img.sp);
  const stop = eng.run(img.entry, 10_000_000);
  return { out, status, stop };
}

test('static busybox echo hello runs to exit_group(0)', (t) => {
  const img = loadImage(opener({ '/bin/busybox': hostFile('/bin/busybox') }), '/bin/busybox', ['busybox', 'echo', 'hello'], [], CREDS, AddressSpace.create);
  try {
    const r = runStub(img);
    t.is(r.out, 'hello\n');
    t.is(r.status, 0);
  } finally {
    img.mm.close();
  }
});

test('dynamic ld.so reaches its first file syscall (the image and auxv are what it expects)', (t) => {
  const LD = '/lib64/ld-linux-x86-64.so.2';
  const img = loadImage(opener({ '/bin/ls': hostFile('/bin/ls'), [LD]: hostFile(LD) }), '/bin/ls', ['ls'], [], CREDS, AddressSpace.create);
  try {
    const r = runStub(img); // openat is ENOSYS in the stub: ld.so reports it cannot load libselinux
    t.regex(r.out, /error while loading shared libraries: libselinux\.so\.1/);
    t.is(r.status, 127);
  } finally {
    img.mm.close();
  }
});
