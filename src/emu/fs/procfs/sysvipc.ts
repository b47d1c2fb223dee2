// /proc/sysvipc (ipc/util.c sysvipc_proc_*): one file per System V IPC kind, a header line then one line
// per object, as ipcs(1) reads them.
import type { Kernel } from '../../kernel/kernel.js';
import type { Node } from '../node.js';
import { SynthDir, SynthFile, type SynthFs } from '../synth.js';

export function sysvipcDir(fs: SynthFs, kernel: Kernel): Node {
  const files = new Map<string, Node>();
  for (const [name, ids] of kernel.ipc.sysv) files.set(name, new SynthFile(fs, fs.ino(), () => ids.procText()));
  return new SynthDir(fs, fs.ino(), files);
}
