// devfs, mounted at /dev: the memory devices, tty, and the fd/std* symlinks into /proc/self/fd.
import { MAGIC } from '../constants.js';
import type { Node } from '../node.js';
import { SynthDir, SynthFs, SynthLink } from '../synth.js';
import { DEVICES, deviceNode } from './devices.js';

export class DevFs extends SynthFs {
  readonly type = 'devtmpfs';
  readonly root: Node;

  constructor() {
    super(MAGIC.DEVTMPFS);
    const entries = new Map<string, Node>();
    for (const name of Object.keys(DEVICES)) entries.set(name, deviceNode(this, name));
    const link = (target: string) => new SynthLink(this, this.ino(), () => target);
    entries.set('fd', link('/proc/self/fd'));
    ['stdin', 'stdout', 'stderr'].forEach((n, i) => entries.set(n, link(`/proc/self/fd/${i}`)));
    this.root = new SynthDir(this, 1, entries, 0o755);
  }
}
