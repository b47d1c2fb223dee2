// devfs, mounted at /dev: the memory devices, tty, console and ptmx, and the fd/std* symlinks into
// /proc/self/fd; pts/ and shm/ are mountpoints (devpts, tmpfs). No block or loop devices exist.
import { MAGIC } from '../constants.js';
import type { Node } from '../node.js';
import { SynthDir, SynthFs, SynthLink } from '../synth.js';
import { DEVICES, deviceNode } from './devices.js';
import type { DevPtsFs } from '../tty/devpts.js';
import { PtmxNode } from '../tty/devpts.js';
import { DevTtyNode } from '../tty/devtty.js';

export class DevFs extends SynthFs {
  readonly type = 'devtmpfs';
  readonly root: Node;

  constructor(devpts?: DevPtsFs) {
    super(MAGIC.DEVTMPFS);
    const entries = new Map<string, Node>();
    for (const name of Object.keys(DEVICES)) entries.set(name, deviceNode(this, name));
    entries.set('tty', new DevTtyNode(this, this.ino()));
    entries.set('console', new DevTtyNode(this, this.ino(), 1, 0o600));
    if (devpts) entries.set('ptmx', new PtmxNode(this, this.ino(), 0o666, devpts));
    const link = (target: string) => new SynthLink(this, this.ino(), () => target);
    entries.set('fd', link('/proc/self/fd'));
    ['stdin', 'stdout', 'stderr'].forEach((n, i) => entries.set(n, link(`/proc/self/fd/${i}`)));
    this.root = new SynthDir(this, 1, entries, 0o755);
  }
}
