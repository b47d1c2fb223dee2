// In-memory executables for loader tests: a path → bytes table served as ExecSources.
import fs from 'node:fs';
import { LinuxError, E } from '../../../src/emu/kernel/errno.js';
import type { ExecSource, OpenExec } from '../../../src/emu/loader/exec.js';
import type { Engine } from '../../../src/emu/cpu/engine.js';
import { AddressSpace } from '../../../src/emu/mm/address-space.js';
import { FakeEngine } from '../mm/fake-engine.js';

export const source = (path: string, bytes: Uint8Array): ExecSource => ({
  path, size: bytes.length,
  readAt(buf, pos) { const n = Math.max(0, Math.min(buf.length, bytes.length - pos)); buf.set(bytes.subarray(pos, pos + n)); return n; },
});

export function opener(files: Record<string, Uint8Array>): OpenExec {
  return (p) => {
    const b = files[p];
    if (!b) throw new LinuxError(E.ENOENT, p);
    return source(p, b);
  };
}

/** Real host files (read once). */
export const hostFile = (p: string): Uint8Array => new Uint8Array(fs.readFileSync(p));

/** Address spaces over the pure-JS engine (loadImage's newSpace). */
export const fakeSpace = (): AddressSpace => new AddressSpace(new FakeEngine() as unknown as Engine);

export const CREDS = { uid: 1000, euid: 1001, gid: 100, egid: 101 };
