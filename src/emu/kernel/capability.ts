// Capability sets of a credential (include/linux/capability.h, security/commoncap.c) and the rules of
// capabilities(7): what execve grants (no file capabilities: root and set-user-ID-root programs get the
// bounding set), what setuid-family calls take away (cap_emulate_setxuid, the fsuid fixup), what a check asks.
import type { Credentials } from './task.js';

export const CAP = {
  CHOWN: 0, DAC_OVERRIDE: 1, DAC_READ_SEARCH: 2, FOWNER: 3, FSETID: 4, KILL: 5, SETGID: 6, SETUID: 7,
  SETPCAP: 8, LINUX_IMMUTABLE: 9, NET_BIND_SERVICE: 10, NET_ADMIN: 12, NET_RAW: 13, IPC_LOCK: 14, IPC_OWNER: 15,
  SYS_CHROOT: 18, SYS_PTRACE: 19, SYS_ADMIN: 21, SYS_NICE: 23, SYS_RESOURCE: 24, MKNOD: 27,
  AUDIT_WRITE: 29, AUDIT_CONTROL: 30, SETFCAP: 31, MAC_OVERRIDE: 32, SYSLOG: 34, CHECKPOINT_RESTORE: 40,
} as const;
export const CAP_LAST_CAP = 40;
/** Every capability this kernel knows (CAP_FULL_SET). */
export const CAP_FULL = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;
const bit = (cap: number): bigint => 1n << BigInt(cap);
/** CAP_FS_MASK: the capabilities tied to the filesystem uid (cap_task_fix_setuid for setfsuid). */
const CAP_FS_MASK = [CAP.CHOWN, CAP.DAC_OVERRIDE, CAP.DAC_READ_SEARCH, CAP.FOWNER, CAP.FSETID, CAP.LINUX_IMMUTABLE,
  CAP.MKNOD, CAP.MAC_OVERRIDE].reduce((m, c) => m | bit(c), 0n);

/** The five sets of struct cred. */
export interface CapSets { capInh: bigint; capPrm: bigint; capEff: bigint; capBnd: bigint; capAmb: bigint; }

/** The sets of a process started for `uid` (init's for root: everything; another user: nothing but the bounding set). */
export function initialCaps(uid: number): CapSets {
  const all = uid === 0 ? CAP_FULL : 0n;
  return { capInh: 0n, capPrm: all, capEff: all, capBnd: CAP_FULL, capAmb: 0n };
}

/** The credentials of init and of sessions started as root. */
export const rootCreds = (): Credentials =>
  ({ uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0, groups: [0], ...initialCaps(0) });

/** capable(): whether the effective set holds `cap` (no user namespaces: the initial one). */
export function capable(c: Credentials, cap: number): boolean {
  return (c.capEff & bit(cap)) !== 0n;
}

export const hasCap = (set: bigint, cap: number): boolean => (set & bit(cap)) !== 0n;
export const capBit = bit;

/**
 * cap_emulate_setxuid (cap_task_fix_setuid), after a setuid-family call changed
 * c from the uids in `old`: leaving uid 0 in all of real/effective/saved drops permitted and effective
 * (unless keepCaps); euid 0 -> non-0 clears effective, non-0 -> 0 restores it from permitted.
 */
export function fixSetuid(c: Credentials, old: Pick<Credentials, 'uid' | 'euid' | 'suid'>, keepCaps: boolean): void {
  if ((old.uid === 0 || old.euid === 0 || old.suid === 0) && c.uid !== 0 && c.euid !== 0 && c.suid !== 0) {
    if (!keepCaps) { c.capPrm = 0n; c.capEff = 0n; }
    c.capAmb = 0n;
  }
  if (old.euid === 0 && c.euid !== 0) c.capEff = 0n;
  if (old.euid !== 0 && c.euid === 0) c.capEff = c.capPrm;
}

/** setfsuid's half of cap_task_fix_setuid: fsuid 0 -> non-0 drops the filesystem capabilities from effective, non-0 -> 0 raises them from permitted. */
export function fixSetfsuid(c: Credentials, oldFsuid: number): void {
  if (oldFsuid === 0 && c.fsuid !== 0) c.capEff &= ~CAP_FS_MASK;
  if (oldFsuid !== 0 && c.fsuid === 0) c.capEff |= c.capPrm & CAP_FS_MASK;
}

/**
 * commit_creds: whether going from `old` to `c` changes privilege (euid, egid, fsuid, fsgid, or a permitted set
 * that grew), which clears the parent-death signal.
 */
export function privilegeChanged(old: Credentials, c: Credentials): boolean {
  return old.euid !== c.euid || old.egid !== c.egid || old.fsuid !== c.fsuid || old.fsgid !== c.fsgid ||
    (c.capPrm & ~old.capPrm) !== 0n;
}

/** What of the executable decides the new credentials (its inode's mode and owner). */
export interface ExecFileIds { mode: number; uid: number; gid: number; }

/**
 * The credentials after execve of `file` (bprm_fill_uid + cap_bprm_creds_from_file, no file capabilities):
 * set-user-ID and set-group-ID (with group execute) bits set euid/egid unless `noSetid` (a nosuid mount or
 * no_new_privs); the saved and fs ids follow the effective ones. Root (real or effective uid 0) gets the
 * inheritable and bounding sets as permitted, effective only when the euid is 0; a set-id program cancels
 * the ambient set; under no_new_privs nothing beyond the old permitted set is gained. `secure` is AT_SECURE.
 */
export function execCreds(old: Credentials, file: ExecFileIds, noSetid: boolean, noNewPrivs: boolean): { creds: Credentials; secure: boolean } {
  const c: Credentials = { ...old, groups: [...old.groups] };
  if (!noSetid && (file.mode & 0o4000)) c.euid = file.uid;
  if (!noSetid && (file.mode & 0o2010) === 0o2010) c.egid = file.gid;
  const setid = c.euid !== old.euid || c.egid !== old.egid;
  c.suid = c.fsuid = c.euid;
  c.sgid = c.fsgid = c.egid;
  let prm = c.euid === 0 || c.uid === 0 ? (c.capInh | c.capBnd) : 0n;
  const effective = c.euid === 0;
  if (setid) c.capAmb = 0n;
  if (noNewPrivs) prm &= old.capPrm;
  c.capPrm = prm | c.capAmb;
  c.capEff = effective ? c.capPrm : c.capAmb;
  const grew = (c.capPrm & ~c.capAmb) !== 0n;
  const secure = setid || c.euid !== old.uid || c.egid !== old.gid || (c.uid !== 0 && (effective || grew));
  return { creds: c, secure };
}
