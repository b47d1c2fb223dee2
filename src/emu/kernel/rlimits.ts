// Resource limits (getrlimit(2)) with Linux's defaults for a login process; RLIM_INFINITY is all ones.
export const RLIM_INFINITY = 0xffffffffffffffffn;
export const RLIMIT = {
  CPU: 0, FSIZE: 1, DATA: 2, STACK: 3, CORE: 4, RSS: 5, NPROC: 6, NOFILE: 7, MEMLOCK: 8, AS: 9, LOCKS: 10,
  SIGPENDING: 11, MSGQUEUE: 12, NICE: 13, RTPRIO: 14, RTTIME: 15,
} as const;
export const RLIM_NLIMITS = 16;

export interface RLimit { cur: bigint; max: bigint; }

/** RLIMIT_NOFILE: the default soft limit (INR_OPEN_CUR) and fs.nr_open, the ceiling of the hard limit. */
export const NOFILE_SOFT = 1024;
export const NR_OPEN = 1048576;

export function defaultRlimits(): RLimit[] {
  const inf = (): RLimit => ({ cur: RLIM_INFINITY, max: RLIM_INFINITY });
  const l = Array.from({ length: RLIM_NLIMITS }, inf);
  l[RLIMIT.STACK] = { cur: 8n << 20n, max: RLIM_INFINITY };
  l[RLIMIT.CORE] = { cur: 0n, max: RLIM_INFINITY };
  l[RLIMIT.NPROC] = { cur: 4096n, max: 4096n };
  l[RLIMIT.NOFILE] = { cur: BigInt(NOFILE_SOFT), max: BigInt(NR_OPEN) };
  l[RLIMIT.MEMLOCK] = { cur: 8n << 20n, max: 8n << 20n };
  l[RLIMIT.SIGPENDING] = { cur: 4096n, max: 4096n };
  l[RLIMIT.MSGQUEUE] = { cur: 819200n, max: 819200n };
  l[RLIMIT.NICE] = { cur: 0n, max: 0n };
  l[RLIMIT.RTPRIO] = { cur: 0n, max: 0n };
  return l;
}
