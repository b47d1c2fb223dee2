// The task table as /proc shows it (fs/proc/array.c): processes with their threads, zombies included,
// the one-letter state, CPU times in clock ticks and memory sizes from the address space.
import type { Kernel } from '../../kernel/kernel.js';
import type { KProcess } from '../../kernel/process.js';
import type { KTask } from '../../kernel/thread.js';
import type { Credentials } from '../../kernel/task.js';
import { E, err } from '../../kernel/errno.js';
import { CAP, capable } from '../../kernel/capability.js';
import { controllingTty } from '../tty/registry.js';
import { makedev } from '../constants.js';
import type { Vma } from '../../mm/vma.js';

/** USER_HZ: the unit of every tick count in /proc (and of times(2)). */
export const HZ = 100;
export const PAGE = 4096;
const UNIX98_PTY_SLAVE_MAJOR = 136;

export const ticks = (ns: number | bigint): number => Math.floor(Number(ns) / (1e9 / HZ));

/** Every process the kernel knows, by pid: those with live threads and the zombies their parents hold. */
export function processes(kernel: Kernel): Map<number, KProcess> {
  const out = new Map<number, KProcess>();
  for (const t of kernel.tasks.values()) {
    const p = (t as KTask).process;
    out.set(p.pid, p);
    for (const c of p.children) if (c.zombie) out.set(c.pid, c);
  }
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}

export function processOf(kernel: Kernel, pid: number): KProcess | undefined {
  const t = kernel.tasks.get(pid) as KTask | undefined;
  if (t && t.process.pid === pid) return t.process;
  return processes(kernel).get(pid);
}

/** The thread that speaks for a process: its leader while alive, else any live thread (null for a zombie). */
export function leaderOf(p: KProcess): KTask | null {
  let any: KTask | null = null;
  for (const t of p.threads) { if (t.tid === p.pid) return t; any ??= t; }
  return any;
}

/** Threads sorted by tid. */
export const threadsOf = (p: KProcess): KTask[] => [...p.threads].sort((a, b) => a.tid - b.tid);

/** The state letter and name of task_state_array: R running, S sleeping in a syscall, T stopped, Z zombie. */
export function stateOf(p: KProcess, t: KTask | null): [string, string] {
  if (p.zombie || !t) return ['Z', 'zombie'];
  if (t.ptrace?.stop) return ['t', 'tracing stop'];
  if (p.stopSig) return ['T', 'stopped'];
  if (t.pending) return ['S', 'sleeping'];
  return ['R', 'running'];
}

/** CPU time of a process in ns: its live threads plus those that ended. */
export function cpuNs(p: KProcess): { utime: number; stime: number } {
  let utime = p.utimeNs, stime = p.stimeNs;
  for (const t of p.threads) { utime += t.utimeNs; stime += t.stimeNs; }
  return { utime, stime };
}

/** tty_nr as stat encodes it, and the terminal's foreground group (tpgid), or 0 / -1 without one. */
export function ttyOf(kernel: Kernel, p: KProcess): { nr: number; tpgid: number; name: string | null } {
  const tty = p.zombie ? null : controllingTty(kernel, p);
  if (!tty) return { nr: 0, tpgid: -1, name: null };
  return { nr: makedev(UNIX98_PTY_SLAVE_MAJOR, tty.index), tpgid: tty.pgrp ?? -1, name: tty.name };
}

export interface MemSizes {
  /** Bytes of every mapping (VmSize). */
  size: number;
  /** Resident bytes (VmRSS), split as Linux does into anonymous and file-backed. */
  rss: number; rssAnon: number; rssFile: number;
  /** Text (executable file mappings), data+stack (private writable), stack, heap, locked. */
  text: number; data: number; stack: number; exe: number; locked: number;
}

/** Resident bytes of one VMA: its host pages that are in memory (mincore on the engine's blocks). */
export const residentBytes = (p: KProcess, v: Vma): number => p.mm.residentIn(v.start, v.end);

/** Sizes of a process's address space, residency from the host pages behind it. */
export function memSizes(p: KProcess): MemSizes {
  const m: MemSizes = { size: 0, rss: 0, rssAnon: 0, rssFile: 0, text: 0, data: 0, stack: 0, exe: 0, locked: 0 };
  if (p.zombie) return m;
  for (const v of p.mm.vmas.list) {
    const len = v.end - v.start;
    m.size += len;
    const res = residentBytes(p, v);
    m.rss += res;
    if (v.file) m.rssFile += res; else m.rssAnon += res;
    if (v.kind === 'stack') m.stack += len;
    if (v.file && (v.prot & 4)) { m.text += len; if (v.name === p.exe) m.exe += len; }
    if (!v.shared && (v.prot & 2) && v.kind !== 'stack') m.data += len;
    if (v.locked) m.locked += len;
  }
  return m;
}

/**
 * ptrace_may_access(PTRACE_MODE_READ_FSCREDS) as fs/proc applies it to environ, fd/, maps, exe...:
 * a caller whose fsuid/fsgid match all of the target's real, effective and saved ids and whose permitted set
 * holds the target's (cap_ptrace_access_check), or CAP_SYS_PTRACE (`tc` null: a zombie, whose credentials
 * are gone with its last thread).
 */
export function mayInspect(c: Credentials, tc: Credentials | null): boolean {
  if (capable(c, CAP.SYS_PTRACE)) return true;
  if (!tc) return false;
  return [tc.uid, tc.euid, tc.suid].every((u) => u === c.fsuid) && [tc.gid, tc.egid, tc.sgid].every((g) => g === c.fsgid) &&
    (tc.capPrm & ~c.capPrm) === 0n;
}

export function checkInspect(c: Credentials, tc: Credentials | null): void {
  if (!mayInspect(c, tc)) throw err(E.EACCES);
}
