// procfs, mounted at /proc: self, and per process exe/cwd/root (magic links), fd/, cmdline, comm.
import type { Kernel } from '../../kernel/kernel.js';
import type { Task } from '../../kernel/task.js';
import { MAGIC } from '../constants.js';
import type { Node } from '../node.js';
import { type Children, SynthDir, SynthFile, SynthFs, SynthLink } from '../synth.js';

/** Inode numbers: fixed per (pid, entry) so stat and readdir agree across lookups. */
const ino = (pid: number, slot: number, fd = 0): number => pid * 0x100000 + fd * 16 + slot + 0x1000;

export class ProcFs extends SynthFs {
  readonly type = 'proc';
  readonly root: Node;

  constructor(private readonly kernel: Kernel) {
    super(MAGIC.PROC);
    this.root = new SynthDir(this, 1, (t) => this.rootEntries(t));
  }

  /** One task per process (the thread-group leader when present). */
  private processes(): Map<number, Task> {
    const out = new Map<number, Task>();
    for (const t of this.kernel.tasks.values()) {
      const pid = t.process.pid;
      if (!out.has(pid) || t.tid === pid) out.set(pid, t);
    }
    return out;
  }

  private rootEntries(_t: Task): Children {
    const m: Children = new Map();
    m.set('self', new SynthLink(this, 2, (t) => String(t.process.pid)));
    m.set('mounts', new SynthLink(this, 3, () => 'self/mounts'));
    for (const [pid, task] of [...this.processes()].sort((a, b) => a[0] - b[0])) m.set(String(pid), this.pidDir(pid, task));
    return m;
  }

  private pidDir(pid: number, target: Task): Node {
    const vfs = this.kernel.vfs;
    const owner = { uid: target.creds.euid, gid: target.creds.egid };
    const entries = (): Children => new Map<string, Node>([
      ['exe', new SynthLink(this, ino(pid, 1), () => target.process.exe,
        (t) => vfs.lookup(t, target.process.exe), owner)],
      ['cwd', new SynthLink(this, ino(pid, 2), (t) => vfs.pathFor(t, target.fs.cwd), () => target.fs.cwd, owner)],
      ['root', new SynthLink(this, ino(pid, 3), (t) => vfs.pathFor(t, target.fs.root), () => target.fs.root, owner)],
      ['fd', new SynthDir(this, ino(pid, 4), () => this.fdEntries(pid, target), 0o500)],
      ['cmdline', new SynthFile(this, ino(pid, 5), () => target.process.argv.map((a) => `${a}\0`).join(''))],
      ['comm', new SynthFile(this, ino(pid, 6), () => `${target.process.comm}\n`, 0o644)],
      ['mounts', new SynthFile(this, ino(pid, 8), () => this.mounts(target))],
    ]);
    return new SynthDir(this, ino(pid, 0), entries);
  }

  /** /proc/<pid>/mounts (fstab format), as the process sees the tree from its root. */
  private mounts(target: Task): string {
    const root = target.fs.root.path;
    const rel = (p: string): string | null =>
      root === '/' ? p : p === root ? '/' : p.startsWith(`${root}/`) ? p.slice(root.length) : null;
    return this.kernel.vfs.mounts.all().map((m) => {
      const at = rel(m.path);
      return at === null ? '' : `${m.fs.type} ${at} ${m.fs.type} rw,relatime 0 0\n`;
    }).join('');
  }

  /** fd/N: magic links to the open files (their path, or pipe:[ino] and the like). */
  private fdEntries(pid: number, target: Task): Children {
    const vfs = this.kernel.vfs;
    const m: Children = new Map();
    const owner = { uid: target.creds.euid, gid: target.creds.egid };
    for (const [fd, f] of target.files.entries()) {
      m.set(String(fd), new SynthLink(this, ino(pid, 7, fd),
        (t) => (f.dentry ? vfs.pathFor(t, f.dentry) : f.anonName()), () => vfs.dentryOf(f), owner));
    }
    return m;
  }
}
