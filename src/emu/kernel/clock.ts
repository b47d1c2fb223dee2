// Kernel clocks (clock_gettime(2)): REALTIME from the host wall clock anchored once and advanced by the host
// monotonic clock (nanosecond steps, never backwards within an instance); MONOTONIC is the host's own.
const hr0 = process.hrtime.bigint();
const real0 = BigInt(Date.now()) * 1_000_000n;

export const CLOCK = {
  REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3, MONOTONIC_RAW: 4,
  REALTIME_COARSE: 5, MONOTONIC_COARSE: 6, BOOTTIME: 7, REALTIME_ALARM: 8, BOOTTIME_ALARM: 9, TAI: 11,
} as const;

export const monotonicNs = (): bigint => process.hrtime.bigint();
export const realtimeNs = (): bigint => real0 + (process.hrtime.bigint() - hr0);
