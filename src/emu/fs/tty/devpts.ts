// devpts, mounted at /dev/pts (fs/devpts/inode.c, Debian's options gid=5,mode=620,ptmxmode=000): one node
// per live pty, numbered from 0, owned by the opener of /dev/ptmx; opening ptmx allocates a new pair.
import { CAP, capable } from '../../kernel/capability.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Task } from '../../kernel/task.js';
import { E, err } from '../../kernel/errno.js';
import { O, S_IFCHR, makedev } from '../constants.js';
import type { Dentry } from '../dentry.js';
import type { OpenFile } from '../file.js';
import { Node } from '../node.js';
import { type SetAttr, type Stat, synthStat } from '../stat.js';
import { type Children, SynthDir, SynthFs } from '../synth.js';
import { openSetCtty } from './jobctrl.js';
import { PtyMaster, PtySlave } from './pty.js';
import { ttysOf } from './registry.js';
import { Tty } from './tty.js';

export const DEVPTS_SUPER_MAGIC = 0x1cd1;
export const TTYAUX_MAJOR = 5, UNIX98_PTY_SLAVE_MAJOR = 136;
/** The tty group (gid=5 mount option). */
const TTY_GID = 5;

export class DevPtsFs extends SynthFs {
  readonly type = 'devpts';
  readonly root: Node;
  readonly ptmx: PtmxNode;
  private readonly nodes = new Map<Tty, PtsNode>();

  constructor(readonly kernel: Kernel) {
    super(DEVPTS_SUPER_MAGIC);
    this.ptmx = new PtmxNode(this, 2, 0o000);
    this.root = new SynthDir(this, 1, () => this.entries(), 0o755);
  }

  private entries(): Children {
    const m: Children = new Map([['ptmx', this.ptmx]]);
    const live = [...ttysOf(this.kernel)].sort((a, b) => a.index - b.index);
    for (const tty of live) {
      let n = this.nodes.get(tty);
      if (!n) this.nodes.set(tty, (n = new PtsNode(this, tty)));
      m.set(String(tty.index), n);
    }
    for (const tty of this.nodes.keys()) if (!ttysOf(this.kernel).has(tty)) this.nodes.delete(tty);
    return m;
  }

  /** devpts_new_index + devpts_pty_new: the lowest free number, the node owned by the caller. */
  allocate(t: Task | null): Tty {
    const used = new Set([...ttysOf(this.kernel)].map((x) => x.index));
    let i = 0;
    while (used.has(i)) i++;
    const tty = new Tty(this.kernel, i);
    tty.owner = { uid: t?.creds.fsuid ?? 0, gid: TTY_GID, mode: 0o620 };
    ttysOf(this.kernel).add(tty);
    return tty;
  }

  /** The /dev/pts/N location of a pty (for files opened by the kernel itself: TIOCGPTPEER, session terminals). */
  slaveDentry(tty: Tty, t: Task): Dentry {
    const vfs = this.kernel.vfs;
    const pts = vfs.child(vfs.child(vfs.top, 'dev', t), 'pts', t);
    return vfs.child(pts, String(tty.index), t);
  }

  /** 5,2: a new master (each open of ptmx allocates a pair). */
  openMaster(d: Dentry, flags: number, t: Task): OpenFile {
    const tty = this.allocate(t);
    return new PtyMaster(flags, d, tty, (tt, fl) => this.openSlave(tty, tt, fl));
  }

  /** 136,N: the slave of pty N through any node of that number. */
  openIndex(d: Dentry, flags: number, t: Task, index: number): OpenFile {
    const tty = [...ttysOf(this.kernel)].find((x) => x.index === index);
    if (!tty) throw err(E.EIO);
    return openPts(tty, this.kernel, d, flags, t);
  }

  /** Open the slave of `tty` as open(2) would, minus the permission check (the caller holds the master). */
  openSlave(tty: Tty, t: Task, flags: number): OpenFile {
    const d = this.slaveDentry(tty, t);
    return d.node.open(d, flags, t);
  }
}

/** /dev/pts/N: crw--w---- owner:tty, 136:N. */
export class PtsNode extends Node {
  readonly type = S_IFCHR;
  constructor(readonly fs: DevPtsFs, readonly tty: Tty) { super(); }

  stat(): Stat {
    const o = this.tty.owner;
    return synthStat(this.fs.dev, this.tty.index + 3, S_IFCHR | o.mode, { uid: o.uid, gid: o.gid, rdev: makedev(UNIX98_PTY_SLAVE_MAJOR, this.tty.index) });
  }

  override setattr(a: SetAttr): void {
    const o = this.tty.owner;
    if (a.mode !== undefined) o.mode = a.mode & 0o7777;
    if (a.uid !== undefined) o.uid = a.uid;
    if (a.gid !== undefined) o.gid = a.gid;
  }

  override open(d: Dentry, flags: number, t: Task): OpenFile { return openPts(this.tty, this.fs.kernel, d, flags, t); }
}

/** pts_unix98_lookup + tty_open: EIO while locked or after the master closed, EBUSY when exclusive. */
function openPts(tty: Tty, kernel: Kernel, d: Dentry, flags: number, t: Task): OpenFile {
  if (tty.locked || tty.hungUp || !ttysOf(kernel).has(tty)) throw err(E.EIO);
  if (tty.exclusive && !capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EBUSY);
  const f = new PtySlave(flags, d, tty);
  if (!(flags & O.NOCTTY)) openSetCtty(tty, t);
  return f;
}

/** ptmx (in devpts, and /dev/ptmx in devfs): each open is a new master. */
export class PtmxNode extends Node {
  readonly type = S_IFCHR;
  constructor(readonly fs: SynthFs, readonly ino: number, private readonly perm: number, private readonly pts?: DevPtsFs) { super(); }

  private get devpts(): DevPtsFs { return this.pts ?? (this.fs as DevPtsFs); }
  stat(): Stat { return synthStat(this.fs.dev, this.ino, S_IFCHR | this.perm, { rdev: makedev(TTYAUX_MAJOR, 2) }); }

  override open(d: Dentry, flags: number, t: Task): OpenFile { return this.devpts.openMaster(d, flags, t); }
}
