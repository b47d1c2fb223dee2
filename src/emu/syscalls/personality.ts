// personality(2): the execution domain of the process (include/uapi/linux/personality.h). Inherited by
// fork and kept across execve (less READ_IMPLIES_EXEC, which the x86-64 ELF loader clears). What acts:
// PER_LINUX32 makes uname(2) report i686, UNAME26 a 2.6.x release; ADDR_NO_RANDOMIZE holds always (pbash
// lays out memory without randomization); the other flags are kept and reported only.
import type { Task } from '../kernel/task.js';
import type { KProcess } from '../kernel/process.js';
import { partial, type SyscallDef } from './types.js';

export const PER_LINUX32 = 0x0008, UNAME26 = 0x0020000;

/** personality(2): 0xffffffff only queries; any other value is taken as is (Linux checks none). */
function personality(t: Task, persona: number): number {
  const p = t.process as KProcess;
  const old = p.personality;
  if (persona !== 0xffffffff) p.personality = persona;
  return old;
}

/** uname's machine and release under the caller's personality (kernel/sys.c override_architecture, override_release). */
export function unameFor(t: Task): { machine: string; release: string } {
  const { machine, release } = t.kernel.uts;
  const pers = (t.process as KProcess).personality;
  let r = release;
  if (pers & UNAME26) {
    const m = /^(\d+)\.(\d+)[.\d]*/.exec(release);
    if (m) r = `2.6.${Number(m[2]) + 60}${release.slice(m[0].length)}`;
  }
  return { machine: (pers & 0xff) === PER_LINUX32 ? 'i686' : machine, release: r };
}

export const personalitySyscalls: SyscallDef[] = [
  partial(135, 'personality', ['uint'], 'READ_IMPLIES_EXEC, ADDR_LIMIT_*, MMAP_PAGE_ZERO, ADDR_COMPAT_LAYOUT, STICKY_TIMEOUTS, SHORT_INODE, WHOLE_SECONDS are kept without effect', personality),
];
