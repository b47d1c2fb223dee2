// A tracee's memory as PTRACE_PEEK*/POKE* reach it (mm/memory.c access_process_vm with FOLL_FORCE): any
// mapped page whatever its protection, a private read-only one (program text: breakpoints) written too;
// an address outside every mapping is EIO.
import type { KTask } from './thread.js';
import { E, LinuxError, err } from './errno.js';

/** The mappings covering [addr, addr+len), or EIO; a forced write cannot go into a read-only shared one. */
function covered(t: KTask, addr: number, len: number, write: boolean): void {
  const vmas = t.process.mm.vmas;
  for (let a = addr; a < addr + len;) {
    const v = vmas.find(a);
    if (!v || (write && v.shared && !(v.prot & 2))) throw err(E.EIO);
    a = v.end;
  }
}

function guard<T>(fn: () => T): T {
  try { return fn(); } catch (e) {
    if (e instanceof LinuxError) throw err(E.EIO);
    throw e;
  }
}

export function peekWord(t: KTask, addr: number): bigint {
  covered(t, addr, 8, false);
  const bytes = new Uint8Array(8);
  guard(() => { let off = 0; for (const v of t.process.mm.backing.views(addr, addr + 8)) { bytes.set(v, off); off += v.length; } });
  return new DataView(bytes.buffer).getBigUint64(0, true);
}

export function pokeWord(t: KTask, addr: number, word: bigint): void {
  covered(t, addr, 8, true);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, word), true);
  guard(() => t.process.mm.poke(addr, bytes)); // poke drops code translated from the old bytes
}
