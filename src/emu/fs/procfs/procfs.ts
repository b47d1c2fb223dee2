// procfs, mounted at /proc (fs/proc/root.c, base.c): one directory per process of the kernel's task table,
// self and thread-self, the system-wide files, and /proc/sys.
import { locksText } from './locks.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Task } from '../../kernel/task.js';
import { MAGIC } from '../constants.js';
import type { Node } from '../node.js';
import { type Children, SynthDir, SynthFile, SynthFs, SynthLink } from '../synth.js';
import { pidDir } from './pid-dir.js';
import { processes } from './tasks.js';
import { sysDir } from './sys-dir.js';
import { sysvipcDir } from './sysvipc.js';
import {
  cpuinfoText, devicesText, filesystemsText, vmstatText, loadavgText, meminfoText, partitionsText, statText, swapsText, uptimeText, versionText,
} from './system-files.js';

export class ProcFs extends SynthFs {
  readonly type = 'proc';
  readonly root: Node;
  private readonly fixed: Children;

  constructor(private readonly kernel: Kernel) {
    super(MAGIC.PROC);
    const file = (content: (t: Task) => string): Node => new SynthFile(this, this.ino(), content);
    this.fixed = new Map<string, Node>([
      ['self', new SynthLink(this, this.ino(), (t) => String(t.process.pid))],
      ['thread-self', new SynthLink(this, this.ino(), (t) => `${t.process.pid}/task/${t.tid}`)],
      ['mounts', new SynthLink(this, this.ino(), () => 'self/mounts')],
      ['net', new SynthLink(this, this.ino(), () => 'self/net')],
      ['cpuinfo', file(() => cpuinfoText())],
      ['meminfo', file(() => meminfoText(kernel))],
      ['vmstat', file(() => vmstatText(kernel))],
      ['diskstats', file(() => '')], // no block devices
      ['locks', file(() => locksText())],
      ['stat', file(() => statText(kernel))],
      ['uptime', file(() => uptimeText(kernel))],
      ['loadavg', file(() => loadavgText(kernel))],
      ['version', file(() => versionText(kernel))],
      ['filesystems', file(() => filesystemsText())],
      ['partitions', file(() => partitionsText())],
      ['devices', file(() => devicesText())],
      ['swaps', file(() => swapsText())],
      ['cmdline', file(() => '\n')],
      ['sys', sysDir(this, kernel)],
      ['sysvipc', sysvipcDir(this, kernel)],
    ]);
    this.root = new SynthDir(this, 1, () => this.entries());
  }

  private entries(): Children {
    const m: Children = new Map(this.fixed);
    for (const [pid, p] of processes(this.kernel)) m.set(String(pid), pidDir(this, this.kernel, p, null));
    return m;
  }
}
