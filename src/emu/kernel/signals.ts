// Signal numbers and default actions (signal(7)), and how a fatal signal is encoded in a wait status (wait(2)).
export const SIG = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17,
  SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25,
  SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
} as const;
export const NSIG = 64;

export type DefaultAction = 'term' | 'core' | 'ignore' | 'stop' | 'cont';

const CORE = new Set<number>([SIG.SIGQUIT, SIG.SIGILL, SIG.SIGTRAP, SIG.SIGABRT, SIG.SIGBUS, SIG.SIGFPE,
  SIG.SIGSEGV, SIG.SIGXCPU, SIG.SIGXFSZ, SIG.SIGSYS]);
const IGNORE = new Set<number>([SIG.SIGCHLD, SIG.SIGURG, SIG.SIGWINCH]);
const STOP = new Set<number>([SIG.SIGSTOP, SIG.SIGTSTP, SIG.SIGTTIN, SIG.SIGTTOU]);

export function defaultAction(sig: number): DefaultAction {
  if (CORE.has(sig)) return 'core';
  if (IGNORE.has(sig)) return 'ignore';
  if (STOP.has(sig)) return 'stop';
  if (sig === SIG.SIGCONT) return 'cont';
  return 'term';
}

/** wait(2) status of a process ended by `sig`; the core bit (0x80) is set for core-dumping signals. */
export const signaledStatus = (sig: number): number => sig | (defaultAction(sig) === 'core' ? 0x80 : 0);
/** wait(2) status of a normal exit. */
export const exitedStatus = (code: number): number => (code & 0xff) << 8;

/** struct k_sigaction as the kernel keeps it (rt_sigaction(2)). */
export interface SigAction { handler: bigint; flags: bigint; restorer: bigint; mask: bigint; }
export const SIG_DFL = 0n;
export const SIG_IGN = 1n;
