// More of /proc/<pid>/ and task/<tid>/ (fs/proc/base.c): io, loginuid and sessionid (audit), timerslack_ns,
// coredump_filter, auxv, syscall, wchan, stack and the LSM attr/ files.
import { CAP, capable } from '../../kernel/capability.js';
import { E, err } from '../../kernel/errno.js';
import { IoAccounting } from '../../kernel/io-accounting.js';
import type { KProcess } from '../../kernel/process.js';
import type { Task } from '../../kernel/task.js';
import { mayPtrace } from '../../kernel/task-lookup.js';
import type { KTask } from '../../kernel/thread.js';
import type { Node } from '../node.js';
import { LiveFile, type Reader, SynthDir, SynthFile, type SynthFs, bytesReader } from '../synth.js';
import { ProcMemNode } from './pid-mem-file.js';

const UNSET = 0xffffffff;
const hex = (n: bigint): string => `0x${n.toString(16)}`;

/** What the entries of one directory need: its process, the thread it shows (null: a zombie), inode numbers. */
export interface PidView {
  fs: SynthFs; p: KProcess; thread: boolean; owner: { uid: number; gid: number };
  who: () => KTask | null; n: (slot: number, sub?: number) => number; inspect: (t: Task) => void;
}

/** Text produced at each read (a seq_file's show), so its errors come from read(2) as Linux's do. */
const showReader = (show: () => string): Reader => (buf, pos) => bytesReader(Buffer.from(show(), 'latin1'))(buf, pos);

/** An unsigned decimal as kstrtou*(..., 10) takes it: digits and one optional newline. */
function decimal(data: Buffer, max: bigint): bigint {
  const s = data.toString('latin1').replace(/\n$/, '');
  if (!/^\+?\d+$/.test(s) || BigInt(s) > max) throw err(E.EINVAL);
  return BigInt(s);
}

let sessions = 0;

/**
 * loginuid write (audit_set_loginuid): only by the process itself; once set, changing it needs CAP_AUDIT_CONTROL.
 * Setting a uid opens a new audit session; unsetting ends it.
 */
function setLoginuid(t: Task, p: KProcess, data: Buffer): void {
  if (t.process !== p) throw err(E.EPERM);
  const uid = Number(decimal(data, 0xffffffffn));
  if (p.loginuid !== UNSET && !capable(t.creds, CAP.AUDIT_CONTROL)) throw err(E.EPERM);
  if (uid !== UNSET && ++sessions === UNSET) sessions = 1;
  p.sessionid = uid === UNSET ? UNSET : sessions;
  p.loginuid = uid;
}

/** timerslack_ns (proc_pid_set_timerslack_ns): another task's needs CAP_SYS_NICE, to read as to write. */
function slackAccess(t: Task, w: KTask | null): KTask {
  if (!w) throw err(E.ESRCH);
  if (w !== t && !capable(t.creds, CAP.SYS_NICE)) throw err(E.EPERM);
  return w;
}

/** The bits of mm->flags coredump_filter shows and sets (MMF_DUMP_FILTER_BITS: 9). */
const DUMP_FILTER_MASK = 0x1ff;

/** coredump_filter write: an unsigned integer in any base (kstrtouint base 0); bits above the filter's are ignored. */
function setCoredumpFilter(p: KProcess, data: Buffer): void {
  const s = data.toString('latin1').replace(/\n$/, '');
  const m = /^\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(s);
  if (!m) throw err(E.EINVAL);
  const v = m[1].startsWith('0x') || m[1].startsWith('0X') ? Number.parseInt(m[1].slice(2), 16)
    : m[1].length > 1 && m[1].startsWith('0') ? Number.parseInt(m[1], 8) : Number(m[1]);
  if (v > 0xffffffff) throw err(E.ERANGE);
  p.coredumpFilter = (p.coredumpFilter & ~DUMP_FILTER_MASK) | (v & DUMP_FILTER_MASK);
}

/**
 * syscall (proc_pid_syscall): "running" for a task on the CPU; the call a blocked task waits in with its six
 * arguments, stack pointer and pc; the reader's own call (it is in read(2)) when a task reads its own file.
 */
function syscallText(reader: Task, w: KTask | null): string {
  if (!w) return 'running\n'; // a zombie: no task to sample (Linux answers the same)
  let regs: bigint[] | null = null;
  if (w === reader) {
    const e = w.engine;
    regs = [...e.sysArgs, e.get('rsp'), e.get('rip')];
  } else if (w.pending) regs = w.blockedCall;
  if (!regs) return 'running\n';
  return `${regs[0]} ${regs.slice(1).map(hex).join(' ')}\n`;
}

/** The process's I/O counters: its live threads' and those that ended (whole), or one thread's. */
function ioText(v: PidView): string {
  const sum = new IoAccounting();
  if (v.thread) { const w = v.who(); if (w) sum.add(w.ioac); } else { sum.add(v.p.ioac); for (const w of v.p.threads) sum.add(w.ioac); }
  // storage bytes: none is ever requested of a block device by pbash (see kernel/io-accounting.ts)
  return `rchar: ${sum.rchar}\nwchar: ${sum.wchar}\nsyscr: ${sum.syscr}\nsyscw: ${sum.syscw}\n`
    + 'read_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n';
}

/** attr/: without a security module every read and write is EINVAL; only the task itself may write (EACCES). */
function attrDir(v: PidView): Node {
  const names: [string, number][] = [['current', 0o666], ['prev', 0o444], ['exec', 0o666], ['fscreate', 0o666], ['keycreate', 0o666], ['sockcreate', 0o666]];
  return new SynthDir(v.fs, v.n(40), new Map(names.map(([name, perm], i) => [name, new LiveFile(v.fs, v.n(40, i + 1),
    () => () => { throw err(E.EINVAL); }, perm, {
      owner: v.owner,
      write: (t) => { if (t.process !== v.p) throw err(E.EACCES); throw err(E.EINVAL); },
    })])), 0o555, v.owner);
}

export function taskFileEntries(v: PidView): [string, Node][] {
  const { fs, p, n, owner, inspect } = v;
  const attach = (t: Task): void => { const w = v.who(); if (w && !mayPtrace(t, w)) throw err(E.EACCES); };
  const entries: [string, Node][] = [
    ['io', new LiveFile(fs, n(32), () => showReader(() => ioText(v)), 0o400, { owner, check: inspect })],
    ['loginuid', new SynthFile(fs, n(33), () => String(p.loginuid), 0o644, { owner, write: (t, d) => setLoginuid(t, p, d) })],
    ['sessionid', new SynthFile(fs, n(34), () => String(p.sessionid), 0o444, { owner })],
    ['auxv', new SynthFile(fs, n(35), () => (p.zombie ? new Uint8Array(0) : p.mm.auxv), 0o400, { owner, check: inspect })],
    ['syscall', new LiveFile(fs, n(36), (t) => showReader(() => syscallText(t, v.who())), 0o400, { owner, check: attach })],
    // pbash's kernel has no symbol table, so a sleeping task's wait channel has no name: "0" (proc_pid_wchan)
    ['wchan', new SynthFile(fs, n(37), () => '0', 0o444, { owner })],
    // stack: CAP_SYS_ADMIN only; the kernel here runs on no kernel stack of its own, so it has no frames to show
    ['stack', new SynthFile(fs, n(38), () => '', 0o400, {
      owner, check: (t) => { if (!capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EACCES); attach(t); },
    })],
    ['mem', new ProcMemNode(fs, n(39), v.who, owner)],
    ['attr', attrDir(v)],
  ];
  if (!v.thread) {
    entries.push(['timerslack_ns', new LiveFile(fs, n(41), (t) => showReader(() => `${slackAccess(t, v.who()).timerSlackNs}\n`), 0o666, {
      owner,
      write: (t, d) => {
        const w = slackAccess(t, v.who());
        const ns = Number(decimal(d, 0xffffffffffffffffn));
        w.timerSlackNs = ns === 0 ? w.defaultTimerSlackNs : ns;
      },
    })]);
    entries.push(['coredump_filter', new SynthFile(fs, n(42), () => `${(p.coredumpFilter & DUMP_FILTER_MASK).toString(16).padStart(8, '0')}\n`, 0o644,
      { owner, write: (_t, d) => setCoredumpFilter(p, d) })]);
  }
  return entries;
}
