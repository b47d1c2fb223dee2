// Differential: ptrace(2) tracer programs, compiled at test time, run natively (chroot into the Debian
// rootfs) and under pbash; stdout, stderr and status must match.
import test from 'ava';
import { assertSameAsNative } from '../../helpers/program-diff.js';
import { rootfsUnavailableReason } from '../../helpers/rootfs.js';

const why = rootfsUnavailableReason();
/** name, what it covers, whether it reads /proc (mounted for the native side). */
const PROGRAMS: [string, string, boolean][] = [
  ['ptrace-core', 'TRACEME+exec SIGTRAP, PEEK/POKE, PEEKUSER, GETREGS/REGSET, PTRACE_SYSCALL with changed result, argument and a skipped call, signal injection, ESRCH/EPERM, ATTACH/DETACH', false],
  ['ptrace-events', 'TRACEFORK/EXEC/EXIT events and messages, exit reported to the tracer first, SEIZE, INTERRUPT, SIG(MASK|INFO), GET_SYSCALL_INFO, EXITKILL, tracer death', false],
  ['ptrace-step', 'PTRACE_SINGLESTEP through known instructions after an int3 (si_codes, hidden trap flag)', false],
  ['ptrace-seccomp', 'SECCOMP_RET_TRACE: PTRACE_EVENT_SECCOMP, its data, GET_SYSCALL_INFO op SECCOMP, skip and let through, ENOSYS without the option', false],
  ['ptrace-proc', '/proc/PID/status TracerPid and the tracing-stop state', true],
];

for (const [name, title, withProc] of PROGRAMS) {
  const run = why ? test.skip : test;
  run(`${name}: ${title}${why ? ` (${why})` : ''}`, (t) => assertSameAsNative(t, name, undefined, 120_000, false, undefined, withProc));
}
