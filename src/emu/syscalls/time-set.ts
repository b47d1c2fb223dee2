// Setting and steering the clock: clock_settime(2), settimeofday(2), adjtimex(2), clock_adjtime(2).
// The instance shares the host's wall clock and never changes it, so no pbash process holds CAP_SYS_TIME
// (as root in a container without it): every request to change the clock is EPERM after Linux's own
// argument checks; the read-only adjtimex query answers for a clock no NTP daemon disciplines.
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { CLOCK, clockOf, realtimeNs } from '../kernel/clock.js';
import { partial, type SyscallDef } from './types.js';
import { NS_PER_SEC, readTimespec, struct } from './abi.js';

/** timespec64_valid_settod: not past KTIME_SEC_MAX less 30 years (time/time.c). */
const SETTOD_SEC_MAX = 9223372036n - 30n * 365n * 86400n;
const NO_CAP_SYS_TIME = 'the instance runs on the host\'s clock and does not set it (no CAP_SYS_TIME)';
const ADJ_ADJTIME = 0x8000, ADJ_OFFSET_SINGLESHOT = 0x8001, ADJ_OFFSET_READONLY = 0x2000;
const STA_UNSYNC = 0x40, TIME_ERROR = 5;
const USER_HZ = 100, NTP_PHASE_LIMIT = 16000000n, MAXFREQ_SCALED_PPM = 500n << 16n;
const TIMEX_SIZE = 208;

/** do_sys_settimeofday64: the time must be valid, then the capability is checked. */
function settod(ns: bigint | null): never {
  if (ns !== null && ns / NS_PER_SEC >= SETTOD_SEC_MAX) throw err(E.EINVAL);
  throw err(E.EPERM, NO_CAP_SYS_TIME);
}

/** clock_settime(2): only CLOCK_REALTIME can be set; another process's or thread's CPU clock never (EPERM), the others EINVAL. */
function clockSettime(t: Task, clk: number, tp: number): number {
  const ns = readTimespec(t.mem, tp);
  clockOf(t, clk); // EINVAL for an id that names no clock
  if (clk === CLOCK.REALTIME) settod(ns);
  if (clk < 0) throw err(E.EPERM); // posix_cpu_clock_set; CLOCK_PROCESS/THREAD_CPUTIME_ID have no clock_set
  throw err(E.EINVAL);
}

/** settimeofday(2): tv_usec within a second, a timezone within +-15 hours. */
function settimeofday(t: Task, tv: number, tz: number): number {
  let ns: bigint | null = null;
  if (tv) {
    const sec = t.mem.readBig(tv), usec = BigInt.asIntN(64, t.mem.readBig(tv + 8));
    if (usec < 0n || usec > 1000000n || BigInt.asIntN(64, sec) < 0n) throw err(E.EINVAL);
    ns = sec * NS_PER_SEC + usec * 1000n;
  }
  if (tz) t.mem.read(tz, 8); // EFAULT before anything else, as the copy in
  return settod(ns);
}

/**
 * adjtimex(2) on CLOCK_REALTIME: modes 0 (or ADJ_OFFSET_SS_READ) reads the NTP state of a clock nothing
 * disciplines (STA_UNSYNC, TIME_ERROR, as a fresh Linux boot without ntpd reports); any change is EPERM.
 */
function adjtimex(t: Task, buf: number): number {
  const modes = t.mem.readU32(buf);
  t.mem.slices(buf, TIMEX_SIZE, true);
  if (modes & ADJ_ADJTIME) {
    if ((modes & ADJ_OFFSET_SINGLESHOT) !== ADJ_OFFSET_SINGLESHOT) throw err(E.EINVAL);
    if (!(modes & ADJ_OFFSET_READONLY)) throw err(E.EPERM, NO_CAP_SYS_TIME);
  } else if (modes) throw err(E.EPERM, NO_CAP_SYS_TIME); // before ADJ_TICK's range check, as Linux orders them
  const s = struct(TIMEX_SIZE);
  const now = realtimeNs();
  s.dv.setUint32(0, modes, true);
  s.dv.setBigInt64(24, NTP_PHASE_LIMIT, true); // maxerror
  s.dv.setBigInt64(32, NTP_PHASE_LIMIT, true); // esterror
  s.dv.setInt32(40, STA_UNSYNC, true);
  s.dv.setBigInt64(48, 2n, true); // time_constant's initial value
  s.dv.setBigInt64(56, 1n, true); // precision: 1 us (high-resolution timers)
  s.dv.setBigInt64(64, MAXFREQ_SCALED_PPM, true);
  s.dv.setBigInt64(72, now / NS_PER_SEC, true);
  s.dv.setBigInt64(80, (now % NS_PER_SEC) / 1000n, true);
  s.dv.setBigInt64(88, BigInt(1000000 / USER_HZ), true); // tick, us
  t.mem.write(buf, s.u8);
  return TIME_ERROR;
}

/** clock_adjtime(2): CLOCK_REALTIME as adjtimex; a clock that cannot be steered EOPNOTSUPP. */
function clockAdjtime(t: Task, clk: number, buf: number): number {
  clockOf(t, clk);
  if (clk !== CLOCK.REALTIME) throw err(E.EOPNOTSUPP);
  return adjtimex(t, buf);
}

const NOTE = 'the clock is never set (EPERM, no CAP_SYS_TIME even for root); reads and argument checks as Linux';

export const timeSetSyscalls: SyscallDef[] = [
  partial(227, 'clock_settime', ['int', 'ptr'], NOTE, clockSettime),
  partial(164, 'settimeofday', ['ptr', 'ptr'], `${NOTE}; the kernel timezone stays UTC`, settimeofday),
  partial(159, 'adjtimex', ['ptr'], `${NOTE}; the clock reads as not NTP-synchronized (TIME_ERROR)`, adjtimex),
  partial(305, 'clock_adjtime', ['int', 'ptr'], NOTE, clockAdjtime),
];
