// sysfs, mounted at /sys: an empty directory for now (later issues add devices, class, kernel, ...).
import { MAGIC } from '../constants.js';
import type { Node } from '../node.js';
import { SynthDir, SynthFs } from '../synth.js';

export class SysFs extends SynthFs {
  readonly type = 'sysfs';
  readonly root: Node;
  constructor() {
    super(MAGIC.SYSFS);
    this.root = new SynthDir(this, 1, new Map());
  }
}
