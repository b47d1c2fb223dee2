// Process lifetime and identity: exit(2), exit_group(2), execve(2), getpid(2), arch_prctl(2), prctl(2)...
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { exitedStatus } from '../kernel/signals.js';
import type { KProcess } from '../kernel/process.js';
import { commitExec } from '../kernel/exec-commit.js';
import { execHost } from '../kernel/host-proxy.js';
import { execBuiltin } from '../kernel/builtin.js';
import type { KTask } from '../kernel/thread.js';
import { mayPrlimit, processById, taskById } from '../kernel/task-lookup.js';
import { ROBUST_HEAD_SIZE } from '../kernel/robust-list.js';
import { loadImage, type ExecSource, type OpenExec } from '../loader/exec.js';
import { AT, AT_FDCWD } from '../fs/constants.js';
import { openExec } from '../fs/exec-open.js';
import { AddressSpace } from '../mm/address-space.js';
import { partial, sys, type SyscallDef } from './types.js';
import type { Credentials } from '../kernel/task.js';
import { CAP, CAP_LAST_CAP, capBit, capable, execCreds, hasCap, privilegeChanged } from '../kernel/capability.js';
import { putString, struct } from './abi.js';
import { SECCOMP_MODE, setFilter, setStrict } from '../kernel/seccomp.js';

const ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;
const PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4;
const PR_SET_NAME = 15, PR_GET_NAME = 16, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
const PR_GET_SECCOMP = 21, PR_SET_SECCOMP = 22;
const PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37, PR_SET_TIMERSLACK = 29, PR_GET_TIMERSLACK = 30;
const PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8, SECBIT_KEEP_CAPS = 0x10;
const PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24, PR_GET_SECUREBITS = 27, PR_SET_SECUREBITS = 28, PR_CAP_AMBIENT = 47;
const PR_CAP_AMBIENT_IS_SET = 1, PR_CAP_AMBIENT_RAISE = 2, PR_CAP_AMBIENT_LOWER = 3, PR_CAP_AMBIENT_CLEAR_ALL = 4;
const USER_TOP = 0x800000000000;

/**
 * execve(2) of `filename` (bprm->filename: AT_EXECFN, a script's argument), the first file opened by `open`:
 * the new image is built aside; on any error the caller's image is untouched. A host program (on a host
 * drive) makes the caller its proxy process instead (kernel/host-proxy.ts). `commFromFile`: the name comes
 * from the file exec'd, not from filename (execveat with AT_EMPTY_PATH, as Linux 6.14+).
 */
function exec(t: Task, filename: string, open: OpenExec, argvp: number, envp: number, commFromFile = false): number | Promise<number> {
  const argv = argvp ? t.mem.stringArray(argvp) : [];
  const env = envp ? t.mem.stringArray(envp) : [];
  // the image's set-id bits and capabilities (bprm_creds_from_file), committed with the image
  const nnp = (t.process as KProcess).noNewPrivs;
  let next: Credentials | null = null;
  const creds = (file: ExecSource) => {
    const r = execCreds(t.creds, { mode: file.mode ?? 0, uid: file.uid ?? 0, gid: file.gid ?? 0 }, !!file.nosuid || nnp, nnp);
    next = r.creds;
    return { ...r.creds, secure: r.secure };
  };
  const img = loadImage(open, filename, argv, env, creds, AddressSpace.create, (h) => h);
  if ('builtin' in img) return execBuiltin(t as KTask, filename, img.exe, img.builtin, img.argv, env);
  if ('hostPath' in img) {
    // a host program makes no Linux syscalls: nothing would hold it to the caller's filters
    if ((t as KTask).seccomp) throw err(E.EPERM, 'execve: a host program cannot run under seccomp');
    return execHost(t as KTask, filename, img, env);
  }
  commitExec(t, commFromFile ? img.exe : filename, img.exe, img.argv, env, img.mm, img.entry, img.sp);
  if (next) {
    if (privilegeChanged(t.creds, next)) (t.process as KProcess).pdeathSignal = 0; // commit_creds
    Object.assign(t.creds, next);
  }
  return 0;
}

function execve(t: Task, pathp: number, argvp: number, envp: number): number | Promise<number> {
  const path = t.mem.cstring(pathp);
  if (path === '') throw err(E.ENOENT);
  return exec(t, path, (p) => openExec(t, p), argvp, envp);
}

/**
 * execveat(2): the file from (dirfd, path) with AT_EMPTY_PATH (fexecve) and AT_SYMLINK_NOFOLLOW. A path
 * relative to a dirfd is known to the new program as /dev/fd/N[/path]; through a close-on-exec fd such a
 * name is gone after the exec, so a script there is ENOENT (do_execveat_common, binfmt_script).
 */
function execveat(t: Task, dirfd: number, pathp: number, argvp: number, envp: number, flags: number): number | Promise<number> {
  const path = t.mem.cstring(pathp);
  if (path === '' && !(flags & AT.EMPTY_PATH)) throw err(E.ENOENT);
  if (flags & ~(AT.EMPTY_PATH | AT.SYMLINK_NOFOLLOW)) throw err(E.EINVAL);
  if (dirfd === AT_FDCWD || path.startsWith('/')) return exec(t, path, (p) => openExec(t, p, dirfd, p === path ? flags : 0), argvp, envp);
  const filename = path === '' ? `/dev/fd/${dirfd}` : `/dev/fd/${dirfd}/${path}`;
  const inaccessible = t.files.getCloexec(dirfd);
  const open: OpenExec = (p) => (p === filename ? { ...openExec(t, path, dirfd, flags), pathInaccessible: inaccessible } : openExec(t, p));
  return exec(t, filename, open, argvp, envp, path === '');
}

function archPrctl(t: Task, code: number, addr: number): number {
  switch (code) {
    case ARCH_SET_FS: case ARCH_SET_GS:
      if (addr >= USER_TOP) throw err(E.EPERM);
      t.cpu.set(code === ARCH_SET_FS ? 'fs_base' : 'gs_base', addr);
      return 0;
    case ARCH_GET_FS: case ARCH_GET_GS:
      t.mem.writeU64(addr, t.cpu.get(code === ARCH_GET_FS ? 'fs_base' : 'gs_base'));
      return 0;
    default: throw err(E.EINVAL); // CET (0x3001...) and CPUID faulting are not available
  }
}


/** prctl(PR_CAP_AMBIENT, op, cap) (cap_prctl PR_CAP_AMBIENT). */
function capAmbient(c: Credentials, op: number, cap: number): number {
  if (op === PR_CAP_AMBIENT_CLEAR_ALL) { c.capAmb = 0n; return 0; }
  if (op < PR_CAP_AMBIENT_IS_SET || op > PR_CAP_AMBIENT_LOWER || cap > CAP_LAST_CAP) throw err(E.EINVAL);
  if (op === PR_CAP_AMBIENT_IS_SET) return hasCap(c.capAmb, cap) ? 1 : 0;
  if (op === PR_CAP_AMBIENT_LOWER) { c.capAmb &= ~capBit(cap); return 0; }
  if (!hasCap(c.capPrm, cap) || !hasCap(c.capInh, cap)) throw err(E.EPERM);
  c.capAmb |= capBit(cap);
  return 0;
}

function prctl(t: Task, option: number, arg2: number, arg3: number): number {
  switch (option) {
    case PR_SET_NAME: t.process.comm = t.mem.cstring(arg2, 4096).slice(0, 15); return 0;
    case PR_GET_NAME: {
      const s = struct(16);
      putString(s.u8, 0, 16, t.process.comm);
      t.mem.write(arg2, s.u8);
      return 0;
    }
    case PR_SET_PDEATHSIG: if (arg2 > 64) throw err(E.EINVAL); (t.process as KProcess).pdeathSignal = arg2; return 0;
    case PR_GET_PDEATHSIG: t.mem.writeI32(arg2, (t.process as KProcess).pdeathSignal); return 0;
    case PR_SET_CHILD_SUBREAPER: (t.process as KProcess).subreaper = arg2 !== 0; return 0;
    case PR_GET_CHILD_SUBREAPER: t.mem.writeI32(arg2, (t.process as KProcess).subreaper ? 1 : 0); return 0;
    case PR_GET_DUMPABLE: return 1;
    case PR_SET_DUMPABLE: if (arg2 > 1) throw err(E.EINVAL); return 0;
    // timer slack (as /proc/PID/timerslack_ns): 0 restores the value inherited at fork
    case PR_SET_TIMERSLACK: { const k = t as KTask; k.timerSlackNs = arg2 === 0 ? k.defaultTimerSlackNs : arg2; return 0; }
    case PR_GET_TIMERSLACK: return (t as KTask).timerSlackNs | 0;
    case PR_SET_NO_NEW_PRIVS: if (arg2 !== 1) throw err(E.EINVAL); (t.process as KProcess).noNewPrivs = true; return 0;
    case PR_GET_NO_NEW_PRIVS: return (t.process as KProcess).noNewPrivs ? 1 : 0;
    // seccomp(2) by another door: mode 1 strict, mode 2 a filter (prctl_set_seccomp); strict mode never gets here
    case PR_GET_SECCOMP: return (t as KTask).seccomp?.mode ?? 0;
    case PR_SET_SECCOMP:
      if (arg2 === SECCOMP_MODE.STRICT) { setStrict(t as KTask); return 0; }
      if (arg2 === SECCOMP_MODE.FILTER) return setFilter(t as KTask, 0, arg3);
      throw err(E.EINVAL);
    // the bounding set (cap_prctl_drop): dropping needs CAP_SETPCAP
    case PR_CAPBSET_READ: if (arg2 > CAP_LAST_CAP) throw err(E.EINVAL); return hasCap(t.creds.capBnd, arg2) ? 1 : 0;
    case PR_CAPBSET_DROP:
      if (!capable(t.creds, CAP.SETPCAP)) throw err(E.EPERM);
      if (arg2 > CAP_LAST_CAP) throw err(E.EINVAL);
      t.creds.capBnd &= ~capBit(arg2);
      return 0;
    // SECBIT_KEEP_CAPS: the permitted set survives leaving uid 0 (cap_emulate_setxuid)
    case PR_SET_KEEPCAPS: if (arg2 > 1) throw err(E.EINVAL); (t.process as KProcess).keepCaps = arg2 === 1; return 0;
    case PR_GET_KEEPCAPS: return (t.process as KProcess).keepCaps ? 1 : 0;
    case PR_GET_SECUREBITS: return (t.process as KProcess).keepCaps ? SECBIT_KEEP_CAPS : 0;
    case PR_SET_SECUREBITS:
      if (!capable(t.creds, CAP.SETPCAP)) throw err(E.EPERM);
      if (arg2 & ~SECBIT_KEEP_CAPS) throw err(E.EINVAL, 'prctl(PR_SET_SECUREBITS): only SECBIT_KEEP_CAPS is kept');
      (t.process as KProcess).keepCaps = arg2 !== 0;
      return 0;
    // the ambient set: a capability may be raised only when both permitted and inheritable
    case PR_CAP_AMBIENT: return capAmbient(t.creds, arg2, arg3);
    default: throw err(E.EINVAL);
  }
}

export const processSyscalls: SyscallDef[] = [
  // exit(2) ends the calling thread; the last thread's exit ends the process with this status
  sys(60, 'exit', ['int'], (t, code) => {
    const kt = t as KTask;
    if (kt.process.threads.size > 1) { kt.threadExit = true; kt.stopRequested = true; } else kt.exitGroup(exitedStatus(code));
    return 0;
  }),
  sys(231, 'exit_group', ['int'], (t, code) => { t.exitGroup(exitedStatus(code)); return 0; }),
  // execve(2); a host program (on a host drive under /mnt) makes the caller its proxy process (docs/interop.md)
  sys(59, 'execve', ['path', 'ptr', 'ptr'], execve),
  sys(322, 'execveat', ['fd', 'path', 'ptr', 'ptr', 'flags'], execveat),
  sys(39, 'getpid', [], (t) => t.process.pid),
  sys(110, 'getppid', [], (t) => t.process.ppid),
  sys(186, 'gettid', [], (t) => t.tid),
  sys(111, 'getpgrp', [], (t) => t.process.pgid),
  sys(121, 'getpgid', ['int'], (t, pid) => processById(t, pid).pgid),
  sys(124, 'getsid', ['int'], (t, pid) => processById(t, pid).sid),
  sys(109, 'setpgid', ['int', 'int'], setpgid),
  // setsid(2): a new session and group led by the caller, without a controlling terminal; EPERM for a group leader
  sys(112, 'setsid', [], (t) => {
    const p = t.process;
    for (const o of t.kernel.tasks.values()) if (o.process.pgid === p.pid) throw err(E.EPERM);
    p.sid = p.pgid = p.pid;
    (p as KProcess).ctty = null;
    return p.sid;
  }),
  // set_tid_address(2)
  sys(218, 'set_tid_address', ['ptr'], (t, tidptr) => { t.clearChildTid = tidptr; return t.tid; }),
  sys(158, 'arch_prctl', ['int', 'ptr'], archPrctl),
  partial(157, 'prctl', ['int', 'u64', 'u64', 'u64', 'u64'], 'NAME, PDEATHSIG, CHILD_SUBREAPER, DUMPABLE, TIMERSLACK, NO_NEW_PRIVS, SECCOMP, KEEPCAPS, CAPBSET_READ/DROP, SECUREBITS (KEEP_CAPS only), CAP_AMBIENT; other options EINVAL', prctl),
  // set_robust_list(2): walked at thread exit and execve (robust-list.ts)
  sys(273, 'set_robust_list', ['ptr', 'size'], (t, head, len) => {
    if (len !== ROBUST_HEAD_SIZE) throw err(E.EINVAL);
    (t as KTask).robustList = head;
    return 0;
  }),
  // get_robust_list(2): another thread's list needs the ptrace-read permission (as for prlimit)
  sys(274, 'get_robust_list', ['int', 'ptr', 'ptr'], (t, tid, headp, lenp) => {
    const target = taskById(t, tid);
    if (target !== t && !mayPrlimit(t, target)) throw err(E.EPERM);
    t.mem.writeU64(headp, target.robustList);
    t.mem.writeU64(lenp, ROBUST_HEAD_SIZE);
    return 0;
  }),
];

/**
 * setpgid(2): the caller or one of its children (not after it execs), into an existing group of the same
 * session or a new group named after it; never a session leader.
 */
function setpgid(t: Task, pid: number, pgid: number): number {
  if (pgid < 0) throw err(E.EINVAL);
  const self = t.process as KProcess;
  const p = processById(t, pid);
  if (pid && pid !== p.pid) throw err(E.EINVAL); // a thread other than the leader
  if (p !== self) {
    if (p.parent !== self) throw err(E.ESRCH);
    if (p.sid !== self.sid) throw err(E.EPERM);
    if (p.execed) throw err(E.EACCES);
  }
  if (p.sid === p.pid) throw err(E.EPERM);
  const target = pgid || p.pid;
  if (target !== p.pid) {
    let exists = false;
    for (const o of t.kernel.tasks.values()) if (o.process.pgid === target && o.process.sid === self.sid) exists = true;
    if (!exists) throw err(E.EPERM);
  }
  p.pgid = target;
  return 0;
}
