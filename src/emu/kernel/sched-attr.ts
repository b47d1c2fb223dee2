// Per-task scheduling attributes (sched(7)): nice, policy, real-time priority, CPU affinity, I/O priority. They are
// recorded and reported as Linux does, and inherited at fork/clone (kernel/sched/core.c sched_fork); the
// scheduler gives every runnable task the same slices, so none of them changes how often a task runs.
import { availableParallelism } from 'node:os';

export const SCHED = { OTHER: 0, FIFO: 1, RR: 2, BATCH: 3, IDLE: 5, DEADLINE: 6 } as const;
export const SCHED_RESET_ON_FORK = 0x40000000;

/** The CPUs the guest sees: the host's, at most one cpumask word. */
export const CPU_COUNT = Math.min(availableParallelism(), 64);
export const ONLINE_CPUS = CPU_COUNT === 64 ? 0xffffffffffffffffn : (1n << BigInt(CPU_COUNT)) - 1n;

export interface SchedAttr {
  /** -20 (favoured) .. 19 */
  nice: number;
  policy: number;
  /** sched_priority: 1..99 under SCHED_FIFO/RR, 0 otherwise */
  priority: number;
  resetOnFork: boolean;
  /** cpus_mask: bit n for CPU n */
  affinity: bigint;
  /** I/O priority, class << 13 | level (ioprio_set(2)); 0: none set, the CPU nice level decides. */
  ioprio: number;
  /** SCHED_DEADLINE's runtime, deadline and period (ns) and its RECLAIM/DL_OVERRUN flags; 0 under other policies. */
  runtime: bigint;
  deadline: bigint;
  period: bigint;
  dlFlags: number;
}

export const defaultSched = (): SchedAttr => ({
  nice: 0, policy: SCHED.OTHER, priority: 0, resetOnFork: false, affinity: ONLINE_CPUS, ioprio: 0, runtime: 0n, deadline: 0n, period: 0n, dlFlags: 0,
});

export const isRealtime = (policy: number): boolean => policy === SCHED.FIFO || policy === SCHED.RR;

/**
 * The child's attributes (sched_fork): the parent's, except that SCHED_RESET_ON_FORK turns real-time and
 * deadline policies into SCHED_OTHER at nice 0 and drops a negative nice.
 */
export function forkSched(p: SchedAttr): SchedAttr {
  if (!p.resetOnFork) return { ...p };
  if (!isRealtime(p.policy) && p.policy !== SCHED.DEADLINE) return { ...p, nice: Math.max(0, p.nice), resetOnFork: false };
  return { ...defaultSched(), affinity: p.affinity, ioprio: p.ioprio };
}

/** A cpumask as the kernel's cpulist format prints it ("0-1", "0,2-3"): /proc status, /sys/devices/system/cpu. */
export function cpuList(mask: bigint): string {
  const out: string[] = [];
  for (let i = 0; i < 64; i++) {
    if (!((mask >> BigInt(i)) & 1n)) continue;
    let j = i;
    while (j + 1 < 64 && (mask >> BigInt(j + 1)) & 1n) j++;
    out.push(i === j ? String(i) : `${i}-${j}`);
    i = j;
  }
  return out.join(',');
}
