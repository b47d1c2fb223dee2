// Creating processes and threads: clone(2), clone3(2), fork(2), vfork(2). One mechanism (kernel/fork.ts);
// these only decode the two argument conventions into kernel_clone_args.
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { E, err } from '../kernel/errno.js';
import { CLONE, cloneProcess, simpleClone } from '../kernel/fork.js';
import { NSIG, SIG } from '../kernel/signals.js';
import { PAGE, TASK_SIZE } from '../mm/layout.js';
import { partial, sys, type SyscallDef } from './types.js';
import { readExtensible } from './abi.js';

const CSIGNAL = 0xff;
const CLONE_ARGS_SIZE_VER0 = 64, CLONE_ARGS_SIZE_VER2 = 88; // VER1 (80) added set_tid, VER2 cgroup
const CLONE_CLEAR_SIGHAND = 0x100000000n, CLONE_INTO_CGROUP = 0x200000000n;
const CLONE3_FLAGS = 0xffffffffn | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP;
const MAX_PID_NS_LEVEL = 32n;

const k = (t: Task): KTask => t as KTask;

/** clone(2), x86-64 argument order: the low byte of flags is the exit signal; CLONE_PIDFD's fd goes to ptid. */
function clone(t: Task, flags: number, newsp: number, ptid: number, ctid: number, tls: number): number {
  return cloneProcess(k(t), {
    flags: flags & ~CSIGNAL, exitSignal: flags & CSIGNAL, newsp, ptid, ctid, tls, pidfd: ptid, setTid: null, clearSighand: false,
  });
}

/** clone3(2): struct clone_args of any version (copy_clone_args_from_user, then clone3_args_valid). */
function clone3(t: Task, uargs: number, size: number): number {
  if (size > PAGE) throw err(E.E2BIG);
  if (size < CLONE_ARGS_SIZE_VER0) throw err(E.EINVAL);
  const dv = readExtensible(t.mem, uargs, size, CLONE_ARGS_SIZE_VER2);
  const u = (off: number): bigint => dv.getBigUint64(off, true);
  const [flags, pidfd, ctid, ptid, exitSignal, stack, stackSize, tls, setTid, setTidSize, cgroup] =
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80].map(u);
  if (setTidSize > MAX_PID_NS_LEVEL || (setTid === 0n) !== (setTidSize === 0n)) throw err(E.EINVAL);
  if (exitSignal > BigInt(NSIG)) throw err(E.EINVAL);
  if (flags & CLONE_INTO_CGROUP && (cgroup > 0x7fffffffn || size < CLONE_ARGS_SIZE_VER2)) throw err(E.EINVAL);
  const tids = Array.from({ length: Number(setTidSize) }, (_, i) => t.mem.readI32(Number(setTid) + 4 * i));
  // clone3_args_valid: known flags only; CSIGNAL's bits (but CLONE_NEWTIME) and CLONE_DETACHED are reserved
  if (flags & ~CLONE3_FLAGS || flags & BigInt(CLONE.DETACHED | (CSIGNAL & ~CLONE.NEWTIME))) throw err(E.EINVAL);
  if (flags & BigInt(CLONE.SIGHAND) && flags & CLONE_CLEAR_SIGHAND) throw err(E.EINVAL);
  if (flags & BigInt(CLONE.THREAD | CLONE.PARENT) && exitSignal) throw err(E.EINVAL);
  if (stack === 0n ? stackSize !== 0n : stackSize === 0n || stack + stackSize > BigInt(TASK_SIZE)) throw err(E.EINVAL);
  // alloc_pid: one pid namespace, so one level of set_tid at most
  if (tids.length > 1) throw err(E.EINVAL);
  if (flags & CLONE_INTO_CGROUP) throw err(E.EBADF, 'clone3(CLONE_INTO_CGROUP): no cgroup2 filesystem exists');
  return cloneProcess(k(t), {
    flags: Number(flags & 0xffffffffn), exitSignal: Number(exitSignal), newsp: Number(stack + stackSize),
    ptid: Number(ptid), ctid: Number(ctid), tls: Number(tls), pidfd: Number(pidfd), setTid: tids[0] ?? null,
    clearSighand: (flags & CLONE_CLEAR_SIGHAND) !== 0n,
  });
}

const NOTE = 'namespaces (CLONE_NEW*) are not provided: EPERM; CLONE_VM without CLONE_VFORK or CLONE_THREAD: ENOSYS';

export const cloneSyscalls: SyscallDef[] = [
  partial(56, 'clone', ['flags', 'ptr', 'ptr', 'ptr', 'u64'], NOTE, clone),
  partial(435, 'clone3', ['ptr', 'size'], `${NOTE}; CLONE_INTO_CGROUP: EBADF (no cgroup2 filesystem)`, clone3),
  sys(57, 'fork', [], (t) => cloneProcess(k(t), simpleClone(0, SIG.SIGCHLD))),
  sys(58, 'vfork', [], (t) => cloneProcess(k(t), simpleClone(CLONE.VM | CLONE.VFORK, SIG.SIGCHLD))),
];
