// NUMA policy syscalls: set_mempolicy(2), get_mempolicy(2), mbind(2), set_mempolicy_home_node(2),
// migrate_pages(2), move_pages(2) (mm/mempolicy.c, mm/migrate.c). One memory node, node 0: the mechanism is
// in mm/mempolicy.ts; nothing ever moves.
import { CAP, capable } from '../kernel/capability.js';
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import type { KTask } from '../kernel/thread.js';
import { mayPtrace, taskById } from '../kernel/task-lookup.js';
import { alignUp, PAGE } from '../mm/layout.js';
import {
  MEMS_ALLOWED, MPOL, bindRange, newPolicy, readNodes, reported, splitMode, writeNodes,
} from '../mm/mempolicy.js';
import { sys, type SyscallDef } from './types.js';

const F_NODE = 1, F_ADDR = 2, F_MEMS_ALLOWED = 4;
const MF_STRICT = 1, MF_MOVE = 2, MF_MOVE_ALL = 4;

/** set_mempolicy(2): the calling thread's policy for its future allocations. */
function setMempolicy(t: Task, modeArg: number, nmask: number, maxnode: number): number {
  const { mode, flags } = splitMode(modeArg);
  (t as KTask).mempolicy = newPolicy(mode, flags, readNodes(t.mem, nmask, maxnode));
  return 0;
}

/** get_mempolicy(2): the thread's policy, a range's policy (MPOL_F_ADDR), a page's node, or the allowed nodes. */
function getMempolicy(t: Task, modeOut: number, nmask: number, maxnode: number, addr: number, flags: number): number {
  if (nmask && maxnode < 1) throw err(E.EINVAL); // fewer bits than nr_node_ids
  if (flags & ~(F_NODE | F_ADDR | F_MEMS_ALLOWED)) throw err(E.EINVAL);
  let mode: number, nodes: bigint;
  if (flags & F_MEMS_ALLOWED) {
    if (flags & (F_NODE | F_ADDR)) throw err(E.EINVAL);
    mode = 0; nodes = MEMS_ALLOWED;
  } else {
    if (!(flags & F_ADDR) && addr) throw err(E.EINVAL);
    const vma = flags & F_ADDR ? t.process.mm.vmas.find(addr) : undefined;
    if (flags & F_ADDR && !vma) throw err(E.EFAULT);
    const pol = flags & F_ADDR ? vma!.policy ?? null : (t as KTask).mempolicy;
    ({ mode, nodes } = reported(pol));
    if (flags & F_NODE) {
      // the node of the page at addr (faulted in: PROT_NONE cannot be), or the thread's next interleave node
      if (flags & F_ADDR) { if (!vma!.prot) throw err(E.EFAULT); } else if (pol?.mode !== MPOL.INTERLEAVE && pol?.mode !== MPOL.WEIGHTED_INTERLEAVE) throw err(E.EINVAL);
      mode = 0;
    }
  }
  if (modeOut) t.mem.writeI32(modeOut, mode);
  if (nmask) writeNodes(t.mem, nmask, maxnode, nodes);
  return 0;
}

/** mbind(2): the policy of [start, start+len); MPOL_MF_STRICT never finds a misplaced page on one node. */
function mbind(t: Task, start: number, len: number, modeArg: number, nmask: number, maxnode: number, flags: number): number {
  const { mode, flags: modeFlags } = splitMode(modeArg);
  const nodes = readNodes(t.mem, nmask, maxnode);
  if (flags & ~(MF_STRICT | MF_MOVE | MF_MOVE_ALL)) throw err(E.EINVAL);
  if (flags & MF_MOVE_ALL && !capable(t.creds, CAP.SYS_NICE)) throw err(E.EPERM);
  if (start % PAGE) throw err(E.EINVAL);
  const end = start + alignUp(len);
  if (end < start) throw err(E.EINVAL);
  if (end === start) return 0;
  bindRange(t.process.mm, start, end, newPolicy(mode, modeFlags, nodes));
  return 0;
}

/**
 * set_mempolicy_home_node(2): ranges under MPOL_BIND or MPOL_PREFERRED_MANY take the home node, another
 * policy stops the walk (EOPNOTSUPP, earlier ones keep it); ENOENT when no range had a policy.
 */
function setHomeNode(t: Task, start: number, len: number, home: number, flags: number): number {
  if (start % PAGE || flags) throw err(E.EINVAL);
  if (home !== 0) throw err(E.EINVAL); // not an online node
  const end = start + alignUp(len);
  if (end < start) throw err(E.EINVAL);
  if (end === start) return 0;
  const mm = t.process.mm;
  let found = false;
  for (const v of mm.vmas.overlapping(start, end)) {
    if (!v.policy) continue;
    if (v.policy.mode !== MPOL.BIND && v.policy.mode !== MPOL.PREFERRED_MANY) throw err(E.EOPNOTSUPP);
    bindRange(mm, Math.max(start, v.start), Math.min(end, v.end), { ...v.policy, home });
    found = true;
  }
  if (!found) throw err(E.ENOENT);
  return 0;
}

/** The task whose pages migrate_pages/move_pages look at: pid 0 is the caller; ptrace read access needed. */
function pagesOf(t: Task, pid: number): Task {
  const target = taskById(t, pid);
  if (!mayPtrace(t, target)) throw err(E.EPERM);
  return target;
}

/** migrate_pages(2): every page already is on node 0: none left behind (0), once the node masks pass. */
function migratePages(t: Task, pid: number, maxnode: number, oldNodes: number, newNodes: number): number {
  readNodes(t.mem, oldNodes, maxnode);
  const want = readNodes(t.mem, newNodes, maxnode);
  pagesOf(t, pid);
  if (want & ~MEMS_ALLOWED && !capable(t.creds, CAP.SYS_NICE)) throw err(E.EPERM);
  if (!(want & MEMS_ALLOWED)) throw err(E.EINVAL);
  return 0;
}

/**
 * move_pages(2): status[i] is the page's node (0), -ENOENT for a page not yet touched, -EFAULT for a hole;
 * with `nodes`, each page is first "moved" there: node 0 is where it is, another node ENODEV.
 */
function movePages(t: Task, pid: number, count: number, pages: number, nodes: number, status: number, flags: number): number {
  if (flags & ~(MF_MOVE | MF_MOVE_ALL)) throw err(E.EINVAL);
  if (flags & MF_MOVE_ALL && !capable(t.creds, CAP.SYS_NICE)) throw err(E.EPERM);
  const mm = pagesOf(t, pid).process.mm;
  for (let i = 0; i < count; i++) {
    if (nodes) {
      const node = t.mem.readI32(nodes + 4 * i);
      if (node !== 0) throw err(E.ENODEV); // not a node with memory
    }
    const addr = t.mem.readU64(pages + 8 * i), page = addr - (addr % PAGE);
    const resident = mm.vmas.find(addr) ? mm.backing.residency(page, page + PAGE)[0]! & 1 : -1;
    t.mem.writeI32(status + 4 * i, resident < 0 ? -E.EFAULT : resident ? 0 : -E.ENOENT);
  }
  return 0;
}

export const mempolicySyscalls: SyscallDef[] = [
  sys(238, 'set_mempolicy', ['int', 'ptr', 'u64'], setMempolicy),
  sys(239, 'get_mempolicy', ['ptr', 'ptr', 'u64', 'ptr', 'flags'], getMempolicy),
  sys(237, 'mbind', ['ptr', 'size', 'int', 'ptr', 'u64', 'flags'], mbind),
  sys(450, 'set_mempolicy_home_node', ['ptr', 'size', 'u64', 'flags'], setHomeNode),
  sys(256, 'migrate_pages', ['int', 'u64', 'ptr', 'ptr'], migratePages),
  sys(279, 'move_pages', ['int', 'u64', 'ptr', 'ptr', 'ptr', 'flags'], movePages),
];
