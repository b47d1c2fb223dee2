// membarrier(2). Every thread of a process runs on the process's one engine, one at a time, and the
// scheduler switches them only between instructions (a full barrier and a core serialization each), so
// the barrier itself needs no work: what remains is Linux's command set, its registration rules (per
// address space, EPERM for an expedited barrier not registered for) and its answers. The RSEQ commands
// are left out, as on a kernel without CONFIG_RSEQ (rseq(2) is ENOSYS here).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { partial, type SyscallDef } from './types.js';

const CMD = {
  QUERY: 0, GLOBAL: 1, GLOBAL_EXPEDITED: 2, REGISTER_GLOBAL_EXPEDITED: 4, PRIVATE_EXPEDITED: 8,
  REGISTER_PRIVATE_EXPEDITED: 16, PRIVATE_EXPEDITED_SYNC_CORE: 32, REGISTER_PRIVATE_EXPEDITED_SYNC_CORE: 64,
  GET_REGISTRATIONS: 512,
} as const;
const SUPPORTED = Object.values(CMD).reduce((a: number, b: number) => a | b, 0);

/** The registration an expedited private command needs. */
const NEEDS: Record<number, number> = {
  [CMD.PRIVATE_EXPEDITED]: CMD.REGISTER_PRIVATE_EXPEDITED,
  [CMD.PRIVATE_EXPEDITED_SYNC_CORE]: CMD.REGISTER_PRIVATE_EXPEDITED_SYNC_CORE,
};

function membarrier(t: Task, cmd: number, flags: number): number {
  if (flags) throw err(E.EINVAL);
  const mm = t.process.mm;
  switch (cmd) {
    case CMD.QUERY: return SUPPORTED;
    case CMD.GLOBAL: case CMD.GLOBAL_EXPEDITED: return 0;
    case CMD.REGISTER_GLOBAL_EXPEDITED: case CMD.REGISTER_PRIVATE_EXPEDITED: case CMD.REGISTER_PRIVATE_EXPEDITED_SYNC_CORE:
      mm.membarrierRegistered |= cmd;
      return 0;
    case CMD.PRIVATE_EXPEDITED: case CMD.PRIVATE_EXPEDITED_SYNC_CORE:
      if (!(mm.membarrierRegistered & NEEDS[cmd]!)) throw err(E.EPERM);
      return 0;
    case CMD.GET_REGISTRATIONS: return mm.membarrierRegistered;
    default: throw err(E.EINVAL);
  }
}

export const membarrierSyscalls: SyscallDef[] = [
  partial(324, 'membarrier', ['int', 'flags', 'int'], 'the RSEQ commands are EINVAL (no rseq(2))', membarrier),
];
