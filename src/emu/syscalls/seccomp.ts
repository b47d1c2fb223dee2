// seccomp(2); prctl(PR_SET_SECCOMP/PR_GET_SECCOMP) lives with prctl in process.ts. The mechanism is in
// kernel/seccomp.ts (modes, filter chains, actions) and kernel/bpf-classic.ts (the filter programs).
import type { KTask } from '../kernel/thread.js';
import { E, err } from '../kernel/errno.js';
import { actionAvailable, setFilter, setStrict } from '../kernel/seccomp.js';
import { sys, type SyscallDef } from './types.js';

const SECCOMP_SET_MODE_STRICT = 0, SECCOMP_SET_MODE_FILTER = 1, SECCOMP_GET_ACTION_AVAIL = 2, SECCOMP_GET_NOTIF_SIZES = 3;
/** struct seccomp_notif_sizes: sizeof struct seccomp_notif, seccomp_notif_resp, seccomp_data. */
const NOTIF_SIZES = [80, 24, 64];

/** seccomp(op, flags, uargs) (kernel/seccomp.c do_seccomp). */
function seccomp(t: KTask, op: number, flags: number, uargs: number): number {
  switch (op) {
    case SECCOMP_SET_MODE_STRICT:
      if (flags !== 0 || uargs !== 0) throw err(E.EINVAL);
      setStrict(t);
      return 0;
    case SECCOMP_SET_MODE_FILTER: return setFilter(t, flags, uargs);
    case SECCOMP_GET_ACTION_AVAIL:
      if (flags !== 0) throw err(E.EINVAL);
      if (!actionAvailable(t.mem.readU32(uargs))) throw err(E.EOPNOTSUPP);
      return 0;
    case SECCOMP_GET_NOTIF_SIZES: {
      if (flags !== 0) throw err(E.EINVAL);
      const b = new Uint8Array(6);
      const dv = new DataView(b.buffer);
      NOTIF_SIZES.forEach((n, i) => dv.setUint16(i * 2, n, true));
      t.mem.write(uargs, b);
      return 0;
    }
    default: throw err(E.EINVAL);
  }
}

export const seccompSyscalls: SyscallDef[] = [
  sys(317, 'seccomp', ['uint', 'flags', 'ptr'],
    (t, op, flags, uargs) => seccomp(t as KTask, op, flags, uargs)),
];
