// Shape of one syscall table entry. Handlers read like the man page: `read(t, fd, buf, count)`.
import type { Task } from '../kernel/task.js';

/**
 * How dispatch decodes a raw 64-bit register and how strace prints it.
 * int/fd: signed 32-bit; uint/flags/mode: unsigned 32-bit; ptr/size/u64: unsigned 64-bit as a JS number
 * (exact below 2^53, which covers every user address); off: signed 64-bit as a number; path/str: a pointer
 * to a C string (decoded lazily by the handler; strace shows the string).
 */
export type ArgKind = 'int' | 'fd' | 'uint' | 'flags' | 'mode' | 'ptr' | 'size' | 'u64' | 'off' | 'path' | 'str';

/** What a handler returns: the syscall's result (>= 0), or a Promise when it has to block. Errors are thrown as LinuxError. */
export type SyscallResult = number | bigint | Promise<number | bigint>;

export type Handler = (t: Task, ...args: number[]) => SyscallResult;

export type SyscallStatus = 'supported' | 'partial' | 'enosys';

export interface SyscallDef {
  nr: number;
  name: string;
  args: ArgKind[];
  status: SyscallStatus;
  /** partial: what is missing; enosys: why it is not provided. */
  note?: string;
  handler?: Handler;
  /** No first-hit diagnostic: ENOSYS here is an answer programs probe for (rseq, clone3), not a gap. */
  quiet?: boolean;
}

/** A supported syscall. */
export const sys = (nr: number, name: string, args: ArgKind[], handler: Handler): SyscallDef =>
  ({ nr, name, args, status: 'supported', handler });

/** A syscall implemented in part: `note` says what is missing. */
export const partial = (nr: number, name: string, args: ArgKind[], note: string, handler: Handler): SyscallDef =>
  ({ nr, name, args, status: 'partial', note, handler });

/** A syscall answered with ENOSYS on purpose (no diagnostic beyond the first hit), with the reason. */
export const enosys = (nr: number, name: string, note: string, quiet = false): SyscallDef =>
  ({ nr, name, args: [], status: 'enosys', note, quiet });
