// process_vm_readv(2), process_vm_writev(2): copy between the caller's memory and another process's, with
// ptrace attach rights over it (the same credentials, or root). The copying is mm/process-vm.ts.
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { mayPtrace, taskById } from '../kernel/task-lookup.js';
import { copyProcessVm } from '../mm/process-vm.js';
import { sys, type SyscallDef } from './types.js';

function processVm(t: Task, pid: number, lvec: number, liovcnt: number, rvec: number, riovcnt: number, flags: number, toRemote: boolean): number {
  if (flags) throw err(E.EINVAL);
  const liov = t.mem.iovecs(lvec, liovcnt), riov = t.mem.iovecs(rvec, riovcnt);
  if (liov.reduce((n, v) => n + v.len, 0) === 0) return 0;
  if (pid <= 0) throw err(E.ESRCH); // find_get_task_by_vpid: 0 names nobody
  const target = taskById(t, pid);
  if (!mayPtrace(t, target)) throw err(E.EPERM); // mm_access's EACCES, reported as EPERM
  return copyProcessVm(t.mem, liov, target.mem, riov, toRemote);
}

export const processVmSyscalls: SyscallDef[] = [
  sys(310, 'process_vm_readv', ['int', 'ptr', 'u64', 'ptr', 'u64', 'flags'],
    (t, pid, lv, ln, rv, rn, flags) => processVm(t, pid, lv, ln, rv, rn, flags, false)),
  sys(311, 'process_vm_writev', ['int', 'ptr', 'u64', 'ptr', 'u64', 'flags'],
    (t, pid, lv, ln, rv, rn, flags) => processVm(t, pid, lv, ln, rv, rn, flags, true)),
];
