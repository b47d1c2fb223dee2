// sysfs, mounted at /sys: only what is true of the instance. devices/system/cpu tells the CPU count (as
// glibc's get_nprocs and nproc read it); /sys/fs has no cgroup (there are no cgroups), so that is ENOENT.
import { ONLINE_CPUS, cpuList } from '../../kernel/sched-attr.js';
import { MAGIC } from '../constants.js';
import type { Node } from '../node.js';
import { SynthDir, SynthFile, SynthFs } from '../synth.js';

export class SysFs extends SynthFs {
  readonly type = 'sysfs';
  readonly root: Node;
  constructor() {
    super(MAGIC.SYSFS);
    const dir = (entries: [string, Node][], perm = 0o755): Node => new SynthDir(this, this.ino(), new Map(entries), perm);
    const cpus = (): Node => new SynthFile(this, this.ino(), () => `${cpuList(ONLINE_CPUS)}\n`);
    const cpu = dir([['online', cpus()], ['possible', cpus()], ['present', cpus()]]);
    this.root = new SynthDir(this, 1, new Map([
      ['devices', dir([['system', dir([['cpu', cpu]])]])],
      ['fs', dir([])],
      ['kernel', dir([])],
    ]), 0o555);
  }
}
