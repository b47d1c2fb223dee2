// The syscall table: one entry per x86-64 number, each with its status (supported / partial + what is
// missing / ENOSYS + why). Families live in their own modules; anything not claimed by one is ENOSYS.
import { SYSCALL_NAMES, MAX_SYSCALL } from './names.js';
import { enosys, type SyscallDef } from './types.js';
import { processSyscalls } from './process.js';
import { identitySyscalls } from './identity.js';
import { timeSyscalls } from './time.js';
import { systemSyscalls } from './system.js';
import { signalSyscalls } from './signal.js';
import { futexSyscalls } from './futex.js';
import { waitSyscalls } from './wait.js';
import { pipeSyscalls } from './pipe.js';
import { spliceSyscalls } from './splice.js';
import { inotifySyscalls } from './inotify.js';
import { socketSyscalls } from './socket.js';
import { socketMsgSyscalls } from './socket-msg.js';
import { socketOptSyscalls } from './socket-opt.js';
import { socketMmsgSyscalls } from './socket-mmsg.js';
import { itimerSyscalls } from './itimer.js';
import { signalfdSyscalls } from './signalfd.js';
import { memfdSyscalls } from './memfd.js';
import { credentialSyscalls } from './credentials.js';
import { mmSyscalls } from './mm.js';
import { mempolicySyscalls } from './mempolicy.js';
import { aioSyscalls } from './aio.js';
import { fsAttrSyscalls } from './fs-attr.js';
import { fsXattrSyscalls } from './fs-xattr.js';
import { fsDirSyscalls } from './fs-dir.js';
import { fsFdSyscalls } from './fs-fd.js';
import { fsLockSyscalls } from './fs-lock.js';
import { fsNameSyscalls } from './fs-name.js';
import { fsOpenSyscalls } from './fs-open.js';
import { fsRwSyscalls } from './fs-rw.js';
import { fsStatSyscalls } from './fs-stat.js';
import { pollSyscalls } from './poll.js';
import { epollSyscalls } from './epoll.js';
import { eventfdSyscalls } from './eventfd.js';
import { timerfdSyscalls } from './timerfd.js';
import { schedSyscalls } from './sched.js';
import { posixTimerSyscalls } from './posix-timer.js';
import { mountSyscalls } from './mount.js';
import { semSyscalls } from './sysv-sem.js';
import { msgSyscalls } from './sysv-msg.js';
import { mqueueSyscalls } from './mqueue.js';
import { shmSyscalls } from './sysv-shm.js';
import { cloneSyscalls } from './clone.js';
import { pidfdSyscalls } from './pidfd.js';
import { timeSetSyscalls } from './time-set.js';
import { syslogSyscalls } from './syslog.js';
import { membarrierSyscalls } from './membarrier.js';
import { personalitySyscalls } from './personality.js';
import { namespaceSyscalls } from './namespaces.js';
import { ioprioSyscalls } from './ioprio.js';
import { kcmpSyscalls } from './kcmp.js';
import { processVmSyscalls } from './process-vm.js';
import { seccompSyscalls } from './seccomp.js';
import { ptraceSyscalls } from './ptrace.js';

const FAMILIES: SyscallDef[][] = [
  processSyscalls, identitySyscalls, timeSyscalls, systemSyscalls, signalSyscalls, futexSyscalls, waitSyscalls, pipeSyscalls, spliceSyscalls, socketSyscalls, socketMsgSyscalls, socketMmsgSyscalls, socketOptSyscalls, itimerSyscalls, signalfdSyscalls, memfdSyscalls, credentialSyscalls, mmSyscalls,
  fsAttrSyscalls, fsXattrSyscalls, fsDirSyscalls, fsFdSyscalls, fsLockSyscalls, fsNameSyscalls, fsOpenSyscalls, fsRwSyscalls, fsStatSyscalls,
  pollSyscalls, epollSyscalls, eventfdSyscalls, timerfdSyscalls, schedSyscalls, posixTimerSyscalls, inotifySyscalls, mountSyscalls,
  semSyscalls, msgSyscalls, mqueueSyscalls, shmSyscalls,
  cloneSyscalls, pidfdSyscalls, timeSetSyscalls, syslogSyscalls, membarrierSyscalls, personalitySyscalls, namespaceSyscalls,
  ioprioSyscalls, kcmpSyscalls, processVmSyscalls, mempolicySyscalls, aioSyscalls, seccompSyscalls, ptraceSyscalls,
];

/** Why a syscall without a handler answers ENOSYS: named groups first, then the default. */
const REASONS: [RegExp, string][] = [
  [/^(create_module|init_module|finit_module|delete_module|get_kernel_syms|query_module)$/, 'kernel modules do not exist in pbash'],
  [/^(kexec_load|kexec_file_load|reboot|swapon|swapoff|iopl|ioperm|acct|quotactl|quotactl_fd|nfsservctl|vhangup)$/, 'machine administration has no meaning inside pbash'],
  [/^(uselib|_sysctl|ustat|sysfs|getpmsg|putpmsg|afs_syscall|tuxcall|security|vserver|epoll_ctl_old|epoll_wait_old|set_thread_area|get_thread_area|remap_file_pages|lookup_dcookie)$/, 'obsolete or never implemented on x86-64 Linux either'],
  [/^(bpf|perf_event_open|userfaultfd|landlock_.*|lsm_.*)$/, 'not provided by pbash yet'],
];

function reasonFor(name: string): string {
  for (const [re, why] of REASONS) if (re.test(name)) return why;
  return 'not implemented yet';
}

function buildTable(): SyscallDef[] {
  const table: SyscallDef[] = [];
  for (const family of FAMILIES) {
    for (const def of family) {
      if (table[def.nr]) throw new Error(`syscall ${def.nr} (${def.name}) defined twice`);
      if (SYSCALL_NAMES.get(def.nr) !== def.name) throw new Error(`syscall ${def.nr} is ${SYSCALL_NAMES.get(def.nr)}, not ${def.name}`);
      table[def.nr] = def;
    }
  }
  for (let nr = 0; nr <= MAX_SYSCALL; nr++) {
    const name = SYSCALL_NAMES.get(nr);
    if (name && !table[nr]) table[nr] = enosys(nr, name, reasonFor(name));
  }
  return table;
}

/** Indexed by syscall number; holes are numbers x86-64 never assigned. */
export const SYSCALL_TABLE: readonly (SyscallDef | undefined)[] = buildTable();
