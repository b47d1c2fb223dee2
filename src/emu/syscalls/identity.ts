// Credential getters (getuid(2), getresuid(2), getgroups(2)); the set* family comes with the Processes work.
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { sys, type SyscallDef } from './types.js';

function writeIds(t: Task, ptrs: number[], ids: number[]): number {
  ptrs.forEach((p, i) => t.mem.writeU32(p, ids[i]));
  return 0;
}

export const identitySyscalls: SyscallDef[] = [
  sys(102, 'getuid', [], (t) => t.creds.uid),
  sys(107, 'geteuid', [], (t) => t.creds.euid),
  sys(104, 'getgid', [], (t) => t.creds.gid),
  sys(108, 'getegid', [], (t) => t.creds.egid),
  // getresuid(2)
  sys(118, 'getresuid', ['ptr', 'ptr', 'ptr'], (t, r, e, s) => writeIds(t, [r, e, s], [t.creds.uid, t.creds.euid, t.creds.suid])),
  sys(120, 'getresgid', ['ptr', 'ptr', 'ptr'], (t, r, e, s) => writeIds(t, [r, e, s], [t.creds.gid, t.creds.egid, t.creds.sgid])),
  // getgroups(2): size 0 asks for the count; too small a buffer is EINVAL
  sys(115, 'getgroups', ['int', 'ptr'], (t, size, list) => {
    const g = t.creds.groups;
    if (size === 0) return g.length;
    if (size < g.length) throw err(E.EINVAL);
    g.forEach((id, i) => t.mem.writeU32(list + 4 * i, id));
    return g.length;
  }),
];
