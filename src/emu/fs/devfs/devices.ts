// The memory character devices (drivers/char/mem.c, random.c): null, zero, full, random, urandom.
import { CAP, capable } from '../../kernel/capability.js';
import { randomFillSync } from 'node:crypto';
import { E, err } from '../../kernel/errno.js';
import type { Task } from '../../kernel/task.js';
import { S_IFCHR, makedev } from '../constants.js';
import type { Dentry } from '../dentry.js';
import { type Mappable, OpenFile } from '../file.js';
import { Node } from '../node.js';
import { type Stat, synthStat } from '../stat.js';
import type { SynthFs } from '../synth.js';

/** What a device does on read and write (the whole request, never short). */
export interface DeviceOps {
  read(buf: Uint8Array): number;
  write(buf: Uint8Array): number;
  ioctl?(t: Task, req: number, arg: number): number;
}

const fillZero = (b: Uint8Array): number => { b.fill(0); return b.length; };
const sink = (b: Uint8Array): number => b.length;
const random = (b: Uint8Array): number => { randomFillSync(b); return b.length; };

const RND = { GETENTCNT: 0x80045200, ADDTOENTCNT: 0x40045201, ADDENTROPY: 0x40085203,
  ZAPENTCNT: 0x5204, CLEARPOOL: 0x5206, RESEEDCRNG: 0x5207 } as const;
/** The input pool's entropy count once the generator is seeded, as RNDGETENTCNT reads it (POOL_READY_BITS). */
const POOL_READY_BITS = 256;

/** random_ioctl (drivers/char/random.c): the count reads as full; crediting and reseeding need CAP_SYS_ADMIN and
 *  change nothing here (the host's generator feeds reads); other requests EINVAL. */
function randomIoctl(t: Task, req: number, arg: number): number {
  if (req === RND.GETENTCNT) { t.mem.writeI32(arg, POOL_READY_BITS); return 0; }
  const admin = [RND.ADDTOENTCNT, RND.ADDENTROPY, RND.ZAPENTCNT, RND.CLEARPOOL, RND.RESEEDCRNG] as number[];
  if (!admin.includes(req)) throw err(E.EINVAL);
  if (!capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM);
  if ((req === RND.ADDTOENTCNT || req === RND.ADDENTROPY) && t.mem.readI32(arg) < 0) throw err(E.EINVAL);
  if (req === RND.ADDENTROPY) t.mem.read(arg + 8, Math.max(0, t.mem.readI32(arg + 4))); // EFAULT as the copy would
  return 0;
}

export const DEVICES: Record<string, { major: number; minor: number; ops: DeviceOps | null }> = {
  null: { major: 1, minor: 3, ops: { read: () => 0, write: sink } },
  zero: { major: 1, minor: 5, ops: { read: fillZero, write: sink } },
  full: { major: 1, minor: 7, ops: { read: fillZero, write: () => { throw err(E.ENOSPC); } } },
  random: { major: 1, minor: 8, ops: { read: random, write: sink, ioctl: randomIoctl } },
  urandom: { major: 1, minor: 9, ops: { read: random, write: sink, ioctl: randomIoctl } },
};

/** A character device node, crw-rw-rw- root:root. */
export class DeviceNode extends Node {
  readonly type = S_IFCHR;
  constructor(readonly fs: SynthFs, readonly ino: number, readonly rdev: number, private readonly ops: DeviceOps | null) {
    super();
  }

  stat(): Stat { return synthStat(this.fs.dev, this.ino, S_IFCHR | 0o666, { rdev: this.rdev }); }

  override open(d: Dentry, flags: number, _t: Task): OpenFile {
    if (!this.ops) throw err(E.ENXIO);
    return new DeviceFile(flags, d, this, this.ops);
  }
}

export const deviceNode = (fs: SynthFs, name: string): DeviceNode => {
  const d = DEVICES[name]!;
  return new DeviceNode(fs, fs.ino(), makedev(d.major, d.minor), d.ops);
};

/** The memory devices by minor (major 1), for device nodes on disk filesystems. */
export const openMemDevice = (d: Dentry, flags: number, _t: Task, minor: number): OpenFile => {
  const dev = Object.values(DEVICES).find((x) => x.minor === minor);
  if (!dev?.ops) throw err(E.ENXIO);
  return new DeviceFile(flags, d, d.node, dev.ops);
};

/** An open memory device: position-less I/O, lseek always succeeds with 0 (as mem.c's null_lseek). */
class DeviceFile extends OpenFile {
  constructor(flags: number, dentry: Dentry, private readonly node: Node, private readonly ops: DeviceOps) {
    super(flags, dentry);
  }

  stat(): Stat { return this.node.stat(); }
  override read(buf: Uint8Array): number { return this.ops.read(buf); }
  override write(buf: Uint8Array): number { return this.ops.write(buf); }
  override pread(buf: Uint8Array): number { return this.ops.read(buf); }
  override pwrite(buf: Uint8Array): number { return this.ops.write(buf); }
  override seek(): number { return (this.pos = 0); }
  override ioctl(t: Task, req: number, arg: number): number {
    if (!this.ops.ioctl) return super.ioctl(t, req, arg) as number;
    return this.ops.ioctl(t, req, arg);
  }
  /** /dev/zero maps as anonymous memory (mem.c mmap_zero); the others cannot be mapped (ENODEV). */
  override mappable(): Mappable | null {
    return this.ops === DEVICES.zero.ops ? { size: 0, readAt: () => 0, zero: true } : null;
  }
  override reopen(flags: number): OpenFile { return new DeviceFile(flags, this.dentry!, this.node, this.ops); }
}
