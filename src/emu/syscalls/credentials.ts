// Changing credentials (kernel/sys.c): setuid/setgid, setreuid/setregid, setresuid/setresgid, setfsuid/
// setfsgid, setgroups, and the capability sets (capget/capset, security/commoncap.c). Changing uids adjusts
// the capability sets as capabilities(7) says (kernel/capability.ts); file capabilities are not modelled.
import type { Credentials, Task } from '../kernel/task.js';
import type { KProcess } from '../kernel/process.js';
import { CAP, CAP_FULL, capable, fixSetfsuid, fixSetuid, privilegeChanged } from '../kernel/capability.js';
import { E, err } from '../kernel/errno.js';
import { taskById } from '../kernel/task-lookup.js';
import { partial, sys, type SyscallDef } from './types.js';

const NO_CHANGE = 0xffffffff; // (uid_t)-1
const NGROUPS_MAX = 65536;
const CAP_V3 = 0x20080522, CAP_V1 = 0x19980330, CAP_V2 = 0x20071026;

type Kind = 'uid' | 'gid';
const keys = (k: Kind) => (k === 'uid'
  ? { r: 'uid', e: 'euid', s: 'suid', fs: 'fsuid' } : { r: 'gid', e: 'egid', s: 'sgid', fs: 'fsgid' }) as
  { r: keyof Credentials; e: keyof Credentials; s: keyof Credentials; fs: keyof Credentials };

/** CAP_SETUID for the uids, CAP_SETGID for the gids (ns_capable_setid). */
const privileged = (t: Task, k: Kind): boolean => capable(t.creds, k === 'uid' ? CAP.SETUID : CAP.SETGID);

/** Unprivileged callers may only use ids they already have (real, effective or saved). */
function allowed(t: Task, k: Kind, id: number): boolean {
  const c = t.creds as unknown as Record<string, number>, n = keys(k);
  return privileged(t, k) || id === c[n.r] || id === c[n.e] || id === c[n.s];
}

/** commit_creds after `change`: a change of privilege clears the parent-death signal. */
function commit(t: Task, change: () => void): void {
  const old = { ...t.creds };
  change();
  if (privilegeChanged(old, t.creds)) (t.process as KProcess).pdeathSignal = 0;
}

/** Commit the new ids; the fs id follows the effective one, and new uids adjust the capability sets. */
function set(t: Task, k: Kind, r: number, e: number, s: number): void {
  const c = t.creds as unknown as Record<string, number>, n = keys(k);
  commit(t, () => {
    const old = { uid: t.creds.uid, euid: t.creds.euid, suid: t.creds.suid };
    if (r !== NO_CHANGE) c[n.r] = r;
    if (e !== NO_CHANGE) c[n.e] = e;
    if (s !== NO_CHANGE) c[n.s] = s;
    c[n.fs] = c[n.e];
    if (k === 'uid') fixSetuid(t.creds, old, (t.process as KProcess).keepCaps);
  });
}

/** setuid(2)/setgid(2): privileged callers set all three ids, others only the effective one. */
function setId(t: Task, k: Kind, id: number): number {
  if (id === NO_CHANGE) throw err(E.EINVAL);
  if (privileged(t, k)) { set(t, k, id, id, id); return 0; }
  const c = t.creds as unknown as Record<string, number>, n = keys(k);
  if (id !== c[n.r] && id !== c[n.s]) throw err(E.EPERM);
  set(t, k, NO_CHANGE, id, NO_CHANGE);
  return 0;
}

/** setreuid(2): the saved id follows the new effective one when the real id changes or e differs from the old real. */
function setReId(t: Task, k: Kind, r: number, e: number): number {
  const c = t.creds as unknown as Record<string, number>, n = keys(k);
  const oldR = c[n.r];
  if (!privileged(t, k)) {
    if (r !== NO_CHANGE && r !== c[n.r] && r !== c[n.e]) throw err(E.EPERM);
    if (e !== NO_CHANGE && !allowed(t, k, e)) throw err(E.EPERM);
  }
  const newE = e !== NO_CHANGE ? e : c[n.e];
  const s = r !== NO_CHANGE || (e !== NO_CHANGE && e !== oldR) ? newE : NO_CHANGE;
  set(t, k, r, e, s);
  return 0;
}

function setResId(t: Task, k: Kind, r: number, e: number, s: number): number {
  for (const id of [r, e, s]) if (id !== NO_CHANGE && !allowed(t, k, id)) throw err(E.EPERM);
  set(t, k, r, e, s);
  return 0;
}

/** setfsuid(2): returns the previous fs id whatever happens (errors are silent by design). */
function setFsId(t: Task, k: Kind, id: number): number {
  const c = t.creds as unknown as Record<string, number>, n = keys(k);
  const old = c[n.fs];
  commit(t, () => {
    if (id !== NO_CHANGE && (allowed(t, k, id) || id === old)) c[n.fs] = id;
    if (k === 'uid') fixSetfsuid(t.creds, old);
  });
  return old;
}

/** The header's version: the number of 32-bit words per set (1 for v1, 2 for v2/v3); EINVAL (v3 written back) otherwise. */
function capWords(t: Task, hdr: number): number {
  const version = t.mem.readU32(hdr);
  if (version === CAP_V1) return 1;
  if (version === CAP_V2 || version === CAP_V3) return 2;
  t.mem.writeU32(hdr, CAP_V3);
  throw err(E.EINVAL);
}

/** capget(2): the effective, permitted and inheritable sets of the task `pid` names (0: the caller). */
function capget(t: Task, hdr: number, data: number): number {
  const words = capWords(t, hdr);
  const pid = t.mem.readI32(hdr + 4);
  if (pid < 0) throw err(E.EINVAL);
  const c = taskById(t, pid).creds;
  if (!data) return 0;
  for (let i = 0; i < words; i++) {
    const w = (set: bigint) => Number((set >> BigInt(32 * i)) & 0xffffffffn);
    t.mem.writeU32(data + 12 * i, w(c.capEff));
    t.mem.writeU32(data + 12 * i + 4, w(c.capPrm));
    t.mem.writeU32(data + 12 * i + 8, w(c.capInh));
  }
  return 0;
}

/**
 * capset(2) on the caller only (cap_capset): the inheritable set may only grow within the old inheritable and
 * permitted sets (without CAP_SETPCAP) and the bounding set, the permitted set only shrink, and the effective
 * set stays within the new permitted; the ambient set keeps only what is both permitted and inheritable.
 */
function capset(t: Task, hdr: number, data: number): number {
  const words = capWords(t, hdr);
  const pid = t.mem.readI32(hdr + 4);
  if (pid !== 0 && pid !== t.tid) throw err(E.EPERM);
  const read = (k: number) => {
    let v = 0n;
    for (let i = 0; i < words; i++) v |= BigInt(t.mem.readU32(data + 12 * i + 4 * k)) << BigInt(32 * i);
    return v;
  };
  // bits beyond the last capability are ignored (mk_kernel_cap masks with CAP_VALID_MASK)
  const eff = read(0) & CAP_FULL, prm = read(1) & CAP_FULL, inh = read(2) & CAP_FULL, c = t.creds;
  const within = (a: bigint, b: bigint) => (a & ~b) === 0n;
  if (!within(inh, c.capInh | c.capPrm) && !capable(c, CAP.SETPCAP)) throw err(E.EPERM);
  if (!within(inh, c.capInh | c.capBnd) || !within(prm, c.capPrm) || !within(eff, prm)) throw err(E.EPERM);
  c.capEff = eff; c.capPrm = prm; c.capInh = inh;
  c.capAmb &= prm & inh;
  return 0;
}

export const credentialSyscalls: SyscallDef[] = [
  sys(105, 'setuid', ['uint'], (t, id) => setId(t, 'uid', id)),
  sys(106, 'setgid', ['uint'], (t, id) => setId(t, 'gid', id)),
  sys(113, 'setreuid', ['uint', 'uint'], (t, r, e) => setReId(t, 'uid', r, e)),
  sys(114, 'setregid', ['uint', 'uint'], (t, r, e) => setReId(t, 'gid', r, e)),
  sys(117, 'setresuid', ['uint', 'uint', 'uint'], (t, r, e, s) => setResId(t, 'uid', r, e, s)),
  sys(119, 'setresgid', ['uint', 'uint', 'uint'], (t, r, e, s) => setResId(t, 'gid', r, e, s)),
  sys(122, 'setfsuid', ['uint'], (t, id) => setFsId(t, 'uid', id)),
  sys(123, 'setfsgid', ['uint'], (t, id) => setFsId(t, 'gid', id)),
  // setgroups(2): CAP_SETGID only
  sys(116, 'setgroups', ['int', 'ptr'], (t, size, list) => {
    if (size < 0 || size > NGROUPS_MAX) throw err(E.EINVAL);
    if (!privileged(t, 'gid')) throw err(E.EPERM);
    // kept sorted, as groups_sort does: getgroups(2) and /proc/PID/status list them in ascending order
    t.creds.groups = Array.from({ length: size }, (_, i) => t.mem.readU32(list + 4 * i)).sort((a, b) => a - b);
    return 0;
  }),
  sys(125, 'capget', ['ptr', 'ptr'], capget),
  sys(126, 'capset', ['ptr', 'ptr'], capset),
];
