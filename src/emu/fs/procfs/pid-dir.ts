// /proc/<pid>/ and /proc/<pid>/task/<tid>/ (fs/proc/base.c tgid_base_stuff, tid_base_stuff): what one process
// or thread shows, with Linux's modes, owners (the task's effective ids) and ptrace-style read checks.
import { CAP, capable } from '../../kernel/capability.js';
import { E, err } from '../../kernel/errno.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { KProcess } from '../../kernel/process.js';
import type { KTask } from '../../kernel/thread.js';
import type { Task } from '../../kernel/task.js';
import type { Dentry } from '../dentry.js';
import type { Node } from '../node.js';
import type { OpenFile } from '../file.js';
import { type Children, type FileOps, LiveFile, type Reader, SynthDir, bytesReader, SynthFile, type SynthFs, SynthLink } from '../synth.js';
import type { AddressSpace } from '../../mm/address-space.js';
import { readCmdline, readEnviron } from '../../mm/proc-args.js';
import { checkInspect, leaderOf, threadsOf } from './tasks.js';
import { statLine, statmLine, statusText } from './pid-stat.js';
import { mapsText, smapsRollupText, smapsText } from './pid-mem.js';
import { mountinfoText, mountsText } from './mounts.js';
import { fdEntries, fdinfoEntries } from './pid-fd.js';
import { limitsText } from './limits.js';
import { NAMESPACES, nsDentry, nsLinkText } from '../nsfs.js';
import { netDir } from './net-dir.js';
import { taskFileEntries } from './pid-task-files.js';

/** Inode numbers fixed per (pid or tid, entry, fd) so stat and readdir agree across lookups. */
const ino = (id: number, thread: boolean, slot: number, sub = 0): number =>
  0x1000 + ((id * 2 + (thread ? 1 : 0)) * 64 + slot) * 0x100000 + sub;

/**
 * cmdline or environ of `mm` read at read(2) time; a host program's process has no such memory, its
 * strings as execve was given them stand in.
 */
function argsReader(mm: AddressSpace | null, read: typeof readCmdline, list: () => string[]): Reader {
  if (mm && mm.args.envEnd === 0) return bytesReader(Buffer.from(list().map((a) => `${a}\0`).join(''), 'latin1'));
  return (buf, pos) => (mm ? read(mm, buf, pos) : 0);
}

/** /proc/<pid> directories and their processes: pidfd_send_signal(2) takes an fd of one as a pidfd. */
const processDirs = new WeakMap<Node, KProcess>();

/** The process an open /proc/<pid> directory (not a task/<tid> one) stands for, else null (tgid_pidfd_to_pid). */
export const procDirProcess = (f: OpenFile): KProcess | null => (f.dentry ? processDirs.get(f.dentry.node) ?? null : null);

/**
 * The directory of process `p` (tid null) or of its thread `tid`. `who` is the thread whose files, fs and
 * credentials the entries show; for a zombie there is none and most entries read as empty or ENOENT.
 */
export function pidDir(fs: SynthFs, kernel: Kernel, p: KProcess, tid: number | null): Node {
  const whoNow = (): KTask | null => (tid === null ? leaderOf(p) : [...p.threads].find((t) => t.tid === tid) ?? null);
  const who = whoNow();
  const id = tid ?? p.pid;
  const thread = tid !== null;
  const owner = who ? { uid: who.creds.euid, gid: who.creds.egid } : { uid: 0, gid: 0 };
  const n = (slot: number, sub = 0): number => ino(id, thread, slot, sub);
  const inspect = (t: Task): void => checkInspect(t.creds, who?.creds ?? null);
  const file = (slot: number, content: (t: Task) => string | Uint8Array, perm = 0o444, ops: FileOps = {}): Node =>
    new SynthFile(fs, n(slot), content, perm, { owner, ...ops });
  const link = (slot: number, target: (w: KTask) => Dentry | null): Node => {
    const at = (t: Task): Dentry => {
      inspect(t);
      const w = whoNow();
      const d = w && target(w);
      if (!d) throw err(E.ENOENT);
      return d;
    };
    return new SynthLink(fs, n(slot), (t) => { const d = at(t); return kernel.vfs.linkText(t, d, d.node.removed); }, at, owner);
  };
  const fdDir = (slot: number, list: typeof fdEntries): Node =>
    new SynthDir(fs, n(slot), (t) => { const w = whoNow(); if (w) inspect(t); return w ? list(fs, kernel, w, n) : new Map(); }, 0o500, owner);
  const vfs = kernel.vfs;
  const entries = (): Children => {
    const m: Children = new Map<string, Node>();
    if (!thread) m.set('task', new SynthDir(fs, n(3), () => taskEntries(fs, kernel, p), 0o555, owner));
    m.set('fd', fdDir(4, fdEntries));
    m.set('fdinfo', fdDir(5, fdinfoEntries));
    // environ reads the memory the process had at open (environ_open), cmdline its memory at each read
    m.set('environ', new LiveFile(fs, n(6), () => argsReader(p.zombie ? null : p.mm, readEnviron, () => p.envp), 0o400,
      { owner, check: inspect }));
    m.set('limits', file(7, () => limitsText(p)));
    m.set('comm', file(8, () => `${p.comm}\n`, 0o644, {
      write: (t, data) => {
        if (t.process !== p) throw err(E.EINVAL); // only a thread of the same group renames it (comm_write)
        p.comm = data.subarray(0, 15).toString('latin1').replace(/\0.*$/s, '');
      },
    }));
    m.set('cmdline', new LiveFile(fs, n(9), () => (buf, pos) => argsReader(p.zombie ? null : p.mm, readCmdline, () => p.argv)(buf, pos),
      0o444, { owner }));
    m.set('stat', file(10, () => statLine(kernel, p, whoNow(), !thread)));
    m.set('statm', file(11, () => statmLine(p)));
    m.set('status', file(12, () => { const w = whoNow(); return statusText(kernel, p, w, w ? w.fs.umask : null); }));
    m.set('maps', file(13, () => mapsText(p), 0o444, { check: inspect }));
    m.set('smaps', file(22, () => smapsText(p), 0o444, { check: inspect }));
    if (!thread) m.set('smaps_rollup', file(14, () => smapsRollupText(p), 0o444, { check: inspect }));
    m.set('mounts', file(15, () => { const w = whoNow(); return w ? mountsText(kernel, w.fs.root) : ''; }));
    m.set('mountinfo', file(16, () => { const w = whoNow(); return w ? mountinfoText(kernel, w.fs.root) : ''; }));
    m.set('oom_score_adj', file(17, () => `${p.oomScoreAdj}\n`, 0o644, { write: (t, data) => setOomScoreAdj(t, p, data) }));
    m.set('oom_score', file(18, () => '0\n'));
    m.set('cwd', link(19, (w) => w.fs.cwd));
    m.set('root', link(20, (w) => w.fs.root));
    m.set('exe', link(21, (w) => vfs.lookup(w, w.process.exe)));
    m.set('ns', new SynthDir(fs, n(23), () => nsEntries(fs, n, inspect, owner), 0o511, owner));
    m.set('personality', file(25, () => `${(p.personality >>> 0).toString(16).padStart(8, '0')}\n`, 0o400, { check: inspect }));
    ['uid_map', 'gid_map', 'projid_map'].forEach((name, i) => m.set(name, file(28 + i, () => IDENTITY_MAP, 0o644, { write: initNsOnly })));
    // every process sits in the root of the unified hierarchy (proc_cgroup_show; no cgroupfs to move it)
    m.set('cgroup', file(31, () => '0::/\n'));
    m.set('net', netDir(fs, kernel));
    for (const [name, node] of taskFileEntries({ fs, p, thread, owner, who: whoNow, n, inspect })) m.set(name, node);
    m.set('setgroups', file(27, () => 'allow\n', 0o644, { write: initNsOnly }));
    return m;
  };
  const dir = new SynthDir(fs, n(0), entries, 0o555, owner);
  if (!thread) processDirs.set(dir, p);
  return dir;
}

/** The initial user namespace maps every id to itself (proc_id_map_show: "%10u %10u %10u"). */
const IDENTITY_MAP = `${'0'.padStart(10)} ${'0'.padStart(10)} ${'4294967295'.padStart(10)}\n`;

/** id maps and setgroups are written once, for a new user namespace (map_write, proc_setgroups_write). */
const initNsOnly = (): void => { throw err(E.EPERM); };

/** ns/: a magic link per namespace, readable as the process's maps are (proc_ns_get_link's ptrace check). */
function nsEntries(fs: SynthFs, n: (slot: number, sub?: number) => number, inspect: (t: Task) => void, owner: { uid: number; gid: number }): Children {
  return new Map(NAMESPACES.map((ns, i) => [ns.name, new SynthLink(fs, n(24, i), (t) => { inspect(t); return nsLinkText(ns); },
    (t) => { inspect(t); return nsDentry(ns); }, owner)]));
}

/** task/: one directory per live thread. */
function taskEntries(fs: SynthFs, kernel: Kernel, p: KProcess): Children {
  return new Map(threadsOf(p).map((t) => [String(t.tid), pidDir(fs, kernel, p, t.tid)]));
}

/** oom_score_adj write: -1000..1000; lowering it below its current value needs CAP_SYS_RESOURCE (root). */
function setOomScoreAdj(t: Task, p: KProcess, data: Buffer): void {
  const s = data.toString('latin1').trim();
  if (!/^-?\d+$/.test(s)) throw err(E.EINVAL);
  const v = Number(s);
  if (v < -1000 || v > 1000) throw err(E.EINVAL);
  if (v < p.oomScoreAdj && !capable(t.creds, CAP.SYS_RESOURCE)) throw err(E.EACCES);
  p.oomScoreAdj = v;
}
