// tmpfs (mm/shmem.c): a filesystem in memory with full Linux semantics, limited by size= (ENOSPC past
// it) and nr_inodes=, its root's mode and owner from mode=, uid=, gid= (Documentation/filesystems/tmpfs.rst).
import { totalmem } from 'node:os';
import { E, err } from '../../kernel/errno.js';
import { MAGIC, S_IFDIR } from '../constants.js';
import type { FileSystem } from '../node.js';
import type { StatFs } from '../stat.js';
import { nextAnonDev } from '../synth.js';
import { FifoPipes } from '../pipe.js';
import { Budget, PAGE } from './pages.js';
import { TmpNode } from './tmp-node.js';

export interface TmpfsOptions {
  /** Bytes; default half of RAM. */
  size: number;
  nrInodes: number;
  mode: number;
  uid: number;
  gid: number;
}

const defaultPages = (): number => Math.floor(totalmem() / PAGE / 2);

/** Parse a mount(2) data string of tmpfs options over `base` (remount keeps what is not named). EINVAL when unknown. */
export function parseTmpfsOptions(data: string, base?: TmpfsOptions): TmpfsOptions {
  const o: TmpfsOptions = base ? { ...base } : { size: defaultPages() * PAGE, nrInodes: defaultPages(), mode: 0o1777, uid: 0, gid: 0 };
  for (const item of data.split(',').filter(Boolean)) {
    const eq = item.indexOf('=');
    const [k, v] = eq < 0 ? [item, ''] : [item.slice(0, eq), item.slice(eq + 1)];
    switch (k) {
      case 'size': o.size = v.endsWith('%') ? Math.floor(totalmem() * num(v.slice(0, -1)) / 100) : memSize(v); break;
      case 'nr_blocks': o.size = memSize(v) * PAGE; break;
      case 'nr_inodes': o.nrInodes = memSize(v); break;
      case 'mode': o.mode = parseOctal(v) & 0o7777; break;
      case 'uid': o.uid = num(v); break;
      case 'gid': o.gid = num(v); break;
      case 'huge': case 'mpol': case 'inode32': case 'inode64': case 'noswap': break; // no effect without swap or huge pages
      default: throw err(E.EINVAL, `tmpfs: unknown parameter '${k}'`);
    }
  }
  if (o.size === 0) o.size = Number.MAX_SAFE_INTEGER; // size=0: unlimited
  if (o.nrInodes === 0) o.nrInodes = Number.MAX_SAFE_INTEGER;
  return o;
}

function num(v: string): number {
  if (!/^\d+$/.test(v)) throw err(E.EINVAL, `tmpfs: bad value '${v}'`);
  return Number(v);
}
function parseOctal(v: string): number {
  if (!/^[0-7]+$/.test(v)) throw err(E.EINVAL, `tmpfs: bad mode '${v}'`);
  return parseInt(v, 8);
}
/** memparse: a number with an optional k, m, g (binary) suffix, rounded up to pages for sizes. */
function memSize(v: string): number {
  const m = /^(\d+)([kKmMgGtT]?)$/.exec(v);
  if (!m) throw err(E.EINVAL, `tmpfs: bad size '${v}'`);
  const shift = { '': 0, k: 10, m: 20, g: 30, t: 40 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Number(m[1]) * 2 ** shift;
}

export class TmpFs implements FileSystem {
  readonly type = 'tmpfs';
  readonly dev = nextAnonDev();
  readonly budget: Budget;
  readonly root: TmpNode;
  readonly maxFileSize = Number.MAX_SAFE_INTEGER;
  /** The pipes of FIFO nodes while they are open, by inode number. */
  readonly fifos = new FifoPipes<number>();
  private nextIno = 1;

  constructor(private opts: TmpfsOptions) {
    this.budget = new Budget(Math.ceil(opts.size / PAGE), opts.nrInodes);
    this.root = new TmpNode(this, S_IFDIR | opts.mode, opts.uid, opts.gid);
  }

  ino(): number { return this.nextIno++; }

  /** remount: new limits may not be below what is in use (shmem_reconfigure: EINVAL). */
  reconfigure(data: string): void {
    const o = parseTmpfsOptions(data, this.opts);
    const pages = Math.ceil(o.size / PAGE);
    if (pages < this.budget.pages || o.nrInodes < this.budget.inodes) throw err(E.EINVAL, 'tmpfs: cannot shrink below what is in use');
    this.budget.maxPages = pages;
    this.budget.maxInodes = o.nrInodes;
    this.opts = o;
  }

  statfs(): StatFs {
    const b = this.budget;
    const unlimited = this.opts.size === Number.MAX_SAFE_INTEGER;
    return {
      type: MAGIC.TMPFS, bsize: PAGE, blocks: unlimited ? 0 : b.maxPages, bfree: unlimited ? 0 : b.maxPages - b.pages,
      bavail: unlimited ? 0 : b.maxPages - b.pages, files: b.maxInodes, ffree: b.maxInodes - b.inodes,
      fsid: [this.dev, 0], namelen: 255, frsize: PAGE, flags: 0,
    };
  }

  /** What differs from the defaults, as shmem_show_options prints it. */
  options(): string {
    const o = this.opts, out: string[] = [];
    if (Math.ceil(o.size / PAGE) !== defaultPages()) out.push(`size=${o.size === Number.MAX_SAFE_INTEGER ? 0 : Math.ceil(o.size / PAGE) * 4}k`);
    if (o.nrInodes !== defaultPages()) out.push(`nr_inodes=${o.nrInodes === Number.MAX_SAFE_INTEGER ? 0 : o.nrInodes}`);
    if (o.mode !== 0o1777) out.push(`mode=${o.mode.toString(8).padStart(3, '0')}`);
    if (o.uid !== 0) out.push(`uid=${o.uid}`);
    if (o.gid !== 0) out.push(`gid=${o.gid}`);
    return out.join(',');
  }

  memBytes(): number { return this.budget.pages * PAGE; }
}
