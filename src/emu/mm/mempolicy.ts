// NUMA memory policies (set_mempolicy(2), mbind(2), get_mempolicy(2); mm/mempolicy.c) on a machine of one
// memory node, node 0: every page is on it, so a policy is recorded, validated and reported as Linux does and
// changes no placement.
import { E, LinuxError } from '../kernel/errno.js';
import type { AddressSpace } from './address-space.js';
import type { GuestMemory } from './guest-memory.js';

export const MPOL = { DEFAULT: 0, PREFERRED: 1, BIND: 2, INTERLEAVE: 3, LOCAL: 4, PREFERRED_MANY: 5, WEIGHTED_INTERLEAVE: 6, MAX: 7 } as const;
/** Mode flags ORed into the mode argument (uapi/linux/mempolicy.h). */
export const MPOL_F = { STATIC_NODES: 1 << 15, RELATIVE_NODES: 1 << 14, NUMA_BALANCING: 1 << 13 } as const;
const MODE_FLAGS = MPOL_F.STATIC_NODES | MPOL_F.RELATIVE_NODES | MPOL_F.NUMA_BALANCING;

/** CONFIG_NODES_SHIFT=10 of Debian's kernels: node numbers the ABI accepts; only node 0 has memory. */
export const MAX_NUMNODES = 1024;
const NODE0 = 1n;

export interface MemPolicy {
  readonly mode: number;
  /** The mode flags the caller gave (reported back by get_mempolicy). */
  readonly flags: number;
  /** The nodes the policy allocates from (a subset of node 0), or what the caller gave with STATIC/RELATIVE_NODES. */
  readonly nodes: bigint;
  /** set_mempolicy_home_node(2)'s node; absent: none. */
  readonly home?: number;
}

/** sanitize_mpol_flags: split the mode argument into mode and flags, with Linux's checks. */
export function splitMode(arg: number): { mode: number; flags: number } {
  const flags = arg & MODE_FLAGS, mode = arg & ~MODE_FLAGS;
  if (mode < 0 || mode >= MPOL.MAX) throw new LinuxError(E.EINVAL);
  if ((flags & MPOL_F.STATIC_NODES) && (flags & MPOL_F.RELATIVE_NODES)) throw new LinuxError(E.EINVAL);
  if ((flags & MPOL_F.NUMA_BALANCING) && mode !== MPOL.BIND && mode !== MPOL.PREFERRED_MANY) throw new LinuxError(E.EINVAL);
  return { mode, flags };
}

/**
 * get_nodes: the node mask of `maxnode - 1` bits at `nmask` (the historic off-by-one of the ABI). Bits past
 * MAX_NUMNODES must be clear; at most a page of bits; maxnode 0 with a mask is EINVAL.
 */
export function readNodes(mem: GuestMemory, nmask: number, maxnode: number): bigint {
  const bits = maxnode - 1;
  if (bits === 0 || !nmask) return 0n;
  if (bits < 0 || bits > 4096 * 8) throw new LinuxError(E.EINVAL); // maxnode 0 wraps to a huge count
  const raw = mem.read(nmask, Math.ceil(bits / 64) * 8);
  let mask = 0n;
  for (let i = raw.length - 1; i >= 0; i--) mask = (mask << 8n) | BigInt(raw[i]!);
  mask &= (1n << BigInt(bits)) - 1n;
  if (mask >> BigInt(MAX_NUMNODES)) throw new LinuxError(E.EINVAL);
  return mask;
}

/** copy_nodes_to_user: ALIGN(maxnode - 1, 64) bits are written, the words past the kernel's one word zeroed. */
export function writeNodes(mem: GuestMemory, nmask: number, maxnode: number, nodes: bigint): void {
  const bytes = Math.ceil((maxnode - 1) / 64) * 8;
  if (bytes > 4096) throw new LinuxError(E.EINVAL);
  if (bytes === 0) return;
  const out = new Uint8Array(bytes);
  for (let i = 0; i < 8; i++) out[i] = Number((nodes >> BigInt(8 * i)) & 0xffn);
  mem.write(nmask, out);
}

/** mpol_new + mpol_set_nodemask: the policy for `mode` over `given` nodes; null is the default policy. */
export function newPolicy(mode: number, flags: number, given: bigint): MemPolicy | null {
  const userNodes = (flags & (MPOL_F.STATIC_NODES | MPOL_F.RELATIVE_NODES)) !== 0;
  if (mode === MPOL.DEFAULT) {
    if (given) throw new LinuxError(E.EINVAL);
    return null;
  }
  if (mode === MPOL.PREFERRED && !given) {
    if (userNodes) throw new LinuxError(E.EINVAL);
    mode = MPOL.LOCAL; // preferred with no node: local allocation
  } else if (mode === MPOL.LOCAL) {
    if (given || userNodes) throw new LinuxError(E.EINVAL);
  } else if (!given) {
    throw new LinuxError(E.EINVAL);
  }
  if (mode === MPOL.LOCAL) return { mode, flags, nodes: 0n };
  // relative nodes map onto the allowed ones modulo their count: any non-empty mask lands on node 0
  const effective = flags & MPOL_F.RELATIVE_NODES ? NODE0 : given & NODE0;
  if (!effective) throw new LinuxError(E.EINVAL);
  return { mode, flags, nodes: userNodes ? given : effective };
}

export const samePolicy = (a: MemPolicy | null | undefined, b: MemPolicy | null | undefined): boolean =>
  (a ?? null) === (b ?? null) || (!!a && !!b && a.mode === b.mode && a.flags === b.flags && a.nodes === b.nodes && a.home === b.home);

/** The mode get_mempolicy reports (mode | mode flags) and its node mask (empty for default and local). */
export function reported(p: MemPolicy | null): { mode: number; nodes: bigint } {
  return p ? { mode: p.mode | p.flags, nodes: p.nodes } : { mode: MPOL.DEFAULT, nodes: 0n };
}

/** The nodes a task may use (cpuset mems_allowed): node 0. */
export const MEMS_ALLOWED = NODE0;

/**
 * mbind(2)'s range walk: [start, end) must be mapped without holes (EFAULT); its VMAs take the policy,
 * split at the ends and merged with neighbours of the same policy (mbind_range).
 */
export function bindRange(mm: AddressSpace, start: number, end: number, policy: MemPolicy | null): void {
  if (!mm.vmas.covers(start, end)) throw new LinuxError(E.EFAULT);
  mm.vmas.change(start, end, (v) => { v.policy = policy; });
}
