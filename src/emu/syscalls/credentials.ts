// Changing credentials (kernel/sys.c): setuid/setgid, setreuid/setregid, setresuid/setresgid, setfsuid/
// setfsgid, setgroups, and the capability sets (capget/capset). Root (euid 0) holds every capability; no
// other user holds any (file capabilities and ambient sets are not modelled).
import type { Credentials, Task } from '../kernel/task.js';
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

const privileged = (t: Task): boolean => t.creds.euid === 0;

/** Unprivileged callers may only use ids they already have (real, effective or saved). */
function allowed(t: Task, k: Kind, id: number): boolean {
  const c = t.creds as unknown as Record<string, number>, n = keys(k);
  return privileged(t) || id === c[n.r] || id === c[n.e] || id === c[n.s];
}

function set(t: Task, k: Kind, r: number, e: number, s: number): void {
  const c = t.creds as unknown as Record<string, number>, n = keys(k);
  if (r !== NO_CHANGE) c[n.r] = r;
  if (e !== NO_CHANGE) c[n.e] = e;
  if (s !== NO_CHANGE) c[n.s] = s;
  c[n.fs] = c[n.e];
}

/** setuid(2)/setgid(2): privileged callers set all three ids, others only the effective one. */
function setId(t: Task, k: Kind, id: number): number {
  if (id === NO_CHANGE) throw err(E.EINVAL);
  if (privileged(t)) { set(t, k, id, id, id); return 0; }
  const c = t.creds as unknown as Record<string, number>, n = keys(k);
  if (id !== c[n.r] && id !== c[n.s]) throw err(E.EPERM);
  set(t, k, NO_CHANGE, id, NO_CHANGE);
  return 0;
}

/** setreuid(2): the saved id follows the new effective one when the real id changes or e differs from the old real. */
function setReId(t: Task, k: Kind, r: number, e: number): number {
  const c = t.creds as unknown as Record<string, number>, n = keys(k);
  const oldR = c[n.r];
  if (!privileged(t)) {
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
  if (id !== NO_CHANGE && (allowed(t, k, id) || id === old)) c[n.fs] = id;
  return old;
}

/** capget(2): version 3 (or 1/2) header, then effective/permitted/inheritable words. */
function capget(t: Task, hdr: number, data: number): number {
  const version = t.mem.readU32(hdr);
  if (version !== CAP_V3 && version !== CAP_V1 && version !== CAP_V2) {
    t.mem.writeU32(hdr, CAP_V3);
    throw err(E.EINVAL);
  }
  const pid = t.mem.readI32(hdr + 4);
  if (pid < 0) throw err(E.EINVAL);
  const target = taskById(t, pid);
  const all = target.creds.euid === 0;
  if (!data) return 0;
  const words = version === CAP_V1 ? 1 : 2;
  const full = [0xffffffff, 0x1ff]; // CAP_LAST_CAP 40
  for (let i = 0; i < words; i++) {
    const v = all ? full[i] : 0;
    t.mem.writeU32(data + 12 * i, v);     // effective
    t.mem.writeU32(data + 12 * i + 4, v); // permitted
    t.mem.writeU32(data + 12 * i + 8, 0); // inheritable
  }
  return 0;
}

/**
 * capset(2): a user without capabilities may set only empty sets (cap_capset: nothing beyond the old
 * permitted set); root's sets stay full whatever it asks (capabilities follow euid).
 */
function capset(t: Task, hdr: number, data: number): number {
  const version = t.mem.readU32(hdr);
  if (version !== CAP_V3 && version !== CAP_V1 && version !== CAP_V2) throw err(E.EINVAL);
  const pid = t.mem.readI32(hdr + 4);
  if (pid !== 0 && pid !== t.process.pid) throw err(E.EPERM);
  if (privileged(t)) return 0;
  const words = version === CAP_V1 ? 1 : 2;
  for (let i = 0; i < 3 * words; i++) if (t.mem.readU32(data + 4 * i) !== 0) throw err(E.EPERM);
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
  // setgroups(2): privileged only
  sys(116, 'setgroups', ['int', 'ptr'], (t, size, list) => {
    if (size < 0 || size > NGROUPS_MAX) throw err(E.EINVAL);
    if (!privileged(t)) throw err(E.EPERM);
    t.creds.groups = Array.from({ length: size }, (_, i) => t.mem.readU32(list + 4 * i));
    return 0;
  }),
  partial(125, 'capget', ['ptr', 'ptr'], 'root holds every capability, other users none', capget),
  partial(126, 'capset', ['ptr', 'ptr'], 'accepted for root (no effect); other users may only set the empty sets they hold', capset),
];
