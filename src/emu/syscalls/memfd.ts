// memfd_create(2).
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { MemFile } from '../fs/memfd.js';
import { partial, type SyscallDef } from './types.js';

const MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4, MFD_NOEXEC_SEAL = 8, MFD_EXEC = 0x10;
const NAME_MAX = 249; // 255 minus the "memfd:" prefix

function memfdCreate(t: Task, namep: number, flags: number): number {
  if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)) throw err(E.EINVAL);
  if (flags & MFD_HUGETLB) throw err(E.EINVAL, 'no huge pages');
  const name = t.mem.cstring(namep, NAME_MAX + 1);
  if (name.length > NAME_MAX) throw err(E.EINVAL);
  const sealable = (flags & (MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL)) !== 0;
  return t.files.install(() => new MemFile(name, 0, undefined, sealable), (flags & MFD_CLOEXEC) !== 0);
}

export const memfdSyscalls: SyscallDef[] = [
  partial(319, 'memfd_create', ['str', 'flags'], 'no MFD_HUGETLB; write seals do not check existing writable mappings', memfdCreate),
];
