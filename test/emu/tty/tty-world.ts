// A kernel with the real VFS (devfs, devpts) and fake tasks, for driving terminals through the file
// syscalls; signals the terminal sends are recorded instead of delivered.
import { LinuxError } from '../../../src/emu/kernel/errno.js';
import { setCurrent } from '../../../src/emu/kernel/wait-queue.js';
import { SIG_DFL } from '../../../src/emu/kernel/signals.js';
import type { Task } from '../../../src/emu/kernel/task.js';
import { AT_FDCWD, O } from '../../../src/emu/fs/constants.js';
import { ttySignal } from '../../../src/emu/fs/tty/signals.js';
import { world } from '../fs/fake-task.js';
import type { FakeMemory } from '../fs/fake-memory.js';
import { fsFdSyscalls } from '../../../src/emu/syscalls/fs-fd.js';
import { fsOpenSyscalls } from '../../../src/emu/syscalls/fs-open.js';
import { fsRwSyscalls } from '../../../src/emu/syscalls/fs-rw.js';
import { fsStatSyscalls } from '../../../src/emu/syscalls/fs-stat.js';
import { fsNameSyscalls } from '../../../src/emu/syscalls/fs-name.js';
import { fsDirSyscalls } from '../../../src/emu/syscalls/fs-dir.js';
import type { SyscallDef } from '../../../src/emu/syscalls/types.js';

export type T = Task & { mem: FakeMemory };
export type Sent = { to: 'pgrp' | 'pid'; id: number; sig: number };

const DEFS = new Map<string, SyscallDef>(
  [fsOpenSyscalls, fsRwSyscalls, fsStatSyscalls, fsFdSyscalls, fsNameSyscalls, fsDirSyscalls].flat().map((d) => [d.name, d]),
);

/** Signals sent by terminals, per kernel (tests of a file run concurrently). */
const sentBy = new WeakMap<object, Sent[]>();
ttySignal.toGroup = (k, id, sig) => { sentBy.get(k)?.push({ to: 'pgrp', id, sig }); };
ttySignal.toProcess = (k, id, sig) => { sentBy.get(k)?.push({ to: 'pid', id, sig }); };

export function ttyWorld() {
  const w = world();
  const sent: Sent[] = [];
  sentBy.set(w.kernel, sent);
  /** A task; by default its own session leader. */
  const task = (p: { pgid?: number; sid?: number; files?: T } = {}): T => {
    const t = w.task() as T;
    if (p.files) (t as unknown as { files: unknown }).files = p.files.files;
    const proc = t.process as unknown as Record<string, unknown>;
    Object.assign(proc, { exitStatus: null, sigactions: Array.from({ length: 65 }, () => ({ handler: SIG_DFL })) });
    if (p.pgid !== undefined) proc.pgid = p.pgid;
    if (p.sid !== undefined) proc.sid = p.sid;
    (t as unknown as { sigmask: bigint }).sigmask = 0n;
    return t;
  };
  return { ...w, sent, task };
}

/** A syscall by name as dispatch runs it (current task set): the result or -errno. */
export async function call(t: Task, name: string, ...args: number[]): Promise<number> {
  const def = DEFS.get(name)!;
  let r;
  setCurrent(t);
  try { r = def.handler!(t, ...args); } catch (e) { return errno(e); } finally { setCurrent(null); }
  try { return Number(await r); } catch (e) { return errno(e); }
}
const errno = (e: unknown): number => { if (e instanceof LinuxError) return -e.errno; throw e; };

/** Start a syscall that may block; the Promise settles when it completes. */
export function start(t: Task, name: string, ...args: number[]): { done: boolean; result: Promise<number> } {
  const s = { done: false, result: call(t, name, ...args) };
  s.result.then(() => { s.done = true; }, () => { s.done = true; });
  return s;
}

export const open = (t: T, p: string, flags = O.RDWR) => call(t, 'openat', AT_FDCWD, t.mem.str(p), flags, 0);
export async function writeStr(t: T, fd: number, s: string): Promise<number> {
  const b = Buffer.from(s, 'latin1');
  const a = t.mem.alloc(b.length + 1);
  t.mem.write(a, b);
  return call(t, 'write', fd, a, b.length);
}
export async function readStr(t: T, fd: number, n = 4096): Promise<string | number> {
  const a = t.mem.alloc(n);
  const r = await call(t, 'read', fd, a, n);
  return r < 0 ? r : Buffer.from(t.mem.read(a, r)).toString('latin1');
}
export async function ioctlInt(t: T, fd: number, req: number, v = 0): Promise<{ r: number; v: number }> {
  const a = t.mem.alloc(8);
  t.mem.writeI32(a, v);
  const r = await call(t, 'ioctl', fd, req, a);
  return { r, v: t.mem.readI32(a) };
}
export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Open a pty pair: [master fd, slave fd, index]. */
export async function openPty(t: T, slaveFlags = O.RDWR): Promise<[number, number, number]> {
  const m = await open(t, '/dev/ptmx');
  const n = await ioctlInt(t, m, 0x80045430);
  await ioctlInt(t, m, 0x40045431, 0);
  const s = await open(t, `/dev/pts/${n.v}`, slaveFlags);
  return [m, s, n.v];
}
