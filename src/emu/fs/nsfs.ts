// nsfs (fs/nsfs.c): the files /proc/<pid>/ns/* lead to, one per namespace, and their ioctls. The instance has
// one namespace of each kind, so they carry the inode numbers of a booted Linux's initial namespaces
// (include/linux/proc_ns.h for the fixed ones; net and mnt take the first two proc_alloc_inum hands out),
// and nsfs's device, 0:4, as the first internal mount of a booted kernel has.
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { CLONE } from '../kernel/fork.js';
import { O, S_IFDIR, S_IFREG } from './constants.js';
import { Dentry } from './dentry.js';
import { OpenFile } from './file.js';
import type { Mount } from './mount.js';
import { type FileSystem, Node } from './node.js';
import { type Stat, type StatFs, synthStat, synthStatFs } from './stat.js';

const NSFS_MAGIC = 0x6e736673;
const NSFS_DEV = 4;
/** include/uapi/linux/nsfs.h */
const NS_GET_USERNS = 0xb701, NS_GET_PARENT = 0xb702, NS_GET_NSTYPE = 0xb703, NS_GET_OWNER_UID = 0xb704;

export interface Namespace { name: string; kind: string; inum: number; flag: number }

/** Name in /proc/<pid>/ns, kind shown in the link text, inode number, and its CLONE_NEW* flag. */
export const NAMESPACES: readonly Namespace[] = [
  { name: 'cgroup', kind: 'cgroup', inum: 0xeffffffb, flag: CLONE.NEWCGROUP },
  { name: 'ipc', kind: 'ipc', inum: 0xefffffff, flag: CLONE.NEWIPC },
  { name: 'mnt', kind: 'mnt', inum: 0xf0000001, flag: CLONE.NEWNS },
  { name: 'net', kind: 'net', inum: 0xf0000000, flag: CLONE.NEWNET },
  { name: 'pid', kind: 'pid', inum: 0xeffffffc, flag: CLONE.NEWPID },
  { name: 'pid_for_children', kind: 'pid', inum: 0xeffffffc, flag: CLONE.NEWPID },
  { name: 'time', kind: 'time', inum: 0xeffffffa, flag: CLONE.NEWTIME },
  { name: 'time_for_children', kind: 'time', inum: 0xeffffffa, flag: CLONE.NEWTIME },
  { name: 'user', kind: 'user', inum: 0xeffffffd, flag: CLONE.NEWUSER },
  { name: 'uts', kind: 'uts', inum: 0xeffffffe, flag: CLONE.NEWUTS },
];

class NsRoot extends Node {
  readonly type = S_IFDIR;
  constructor(readonly fs: NsFs) { super(); }
  stat(): Stat { return synthStat(this.fs.dev, 1, S_IFDIR | 0o555); }
}

class NsFs implements FileSystem {
  readonly type = 'nsfs';
  readonly dev = NSFS_DEV;
  readonly root: Node = new NsRoot(this);
  statfs(): StatFs { return synthStatFs(NSFS_MAGIC, this.dev); }
}

const nsfs = new NsFs();
const mount: Mount = { id: 0, fs: nsfs, path: '', root: nsfs.root, rootPath: '/', source: 'nsfs', flags: 0, parent: null };

/** A namespace's inode: an empty regular file, r--r--r-- root (ns_get_path's inode). */
class NsNode extends Node {
  readonly type = S_IFREG;
  constructor(readonly fs: NsFs, readonly ns: Namespace) { super(); }
  get ino(): number { return this.ns.inum; }
  stat(): Stat { return synthStat(this.fs.dev, this.ns.inum, S_IFREG | 0o444); }
  override open(d: Dentry, flags: number, _t: Task): OpenFile { return new NsFile(flags, d, this); }
}

const nodes = new Map(NAMESPACES.map((ns) => [ns.inum, new NsNode(nsfs, ns)]));

export const nsLinkText = (ns: Namespace): string => `${ns.kind}:[${ns.inum}]`;

/** Where /proc/<pid>/ns/<name> leads: the namespace's inode, its link text as the path. */
export const nsDentry = (ns: Namespace): Dentry => new Dentry(nodes.get(ns.inum)!, mount, null, '', nsLinkText(ns));

/** An open namespace file: what setns(2) takes and ns_ioctl answers; nothing to read or write. */
export class NsFile extends OpenFile {
  constructor(flags: number, dentry: Dentry, private readonly node: NsNode) { super(flags, dentry); }
  get nstype(): number { return this.node.ns.flag; }
  stat(): Stat { return this.node.stat(); }

  /**
   * ns_ioctl: every namespace here is an initial one, so the user namespace has no owner or parent in view and
   * pid has no parent (EPERM); the others are owned by the user namespace (a new fd of it); uid 0 owns that.
   */
  override ioctl(t: Task, req: number, arg: number): number {
    const user = this.node.ns.flag === CLONE.NEWUSER;
    switch (req) {
      case NS_GET_NSTYPE: return this.node.ns.flag;
      case NS_GET_PARENT: throw err(user || this.node.ns.flag === CLONE.NEWPID ? E.EPERM : E.EINVAL);
      case NS_GET_USERNS: {
        if (user) throw err(E.EPERM);
        const d = nsDentry(NAMESPACES.find((n) => n.flag === CLONE.NEWUSER)!);
        return t.files.install(() => d.node.open(d, O.RDONLY, t), true);
      }
      case NS_GET_OWNER_UID:
        if (!user) throw err(E.EINVAL);
        t.mem.writeU32(arg, 0);
        return 0;
      default: throw err(E.ENOTTY);
    }
  }
}
