// /proc/<pid>/net (fs/proc/proc_net.c): the files of the process's network namespace. pbash has one network
// namespace, so every process shows the same directory (one node, fixed inode numbers, as Linux's per-netns
// entries); /proc/net links to self/net.
import type { Kernel } from '../../kernel/kernel.js';
import type { Node } from '../node.js';
import { SynthDir, SynthFile, type SynthFs } from '../synth.js';
import { unixText } from './net-unix.js';
import { rawText, tcpText, udpText } from './net-inet.js';
import { devText, ifInet6Text, packetText, routeText } from './net-dev.js';

const dirs = new WeakMap<SynthFs, Node>();

export function netDir(fs: SynthFs, kernel: Kernel): Node {
  let d = dirs.get(fs);
  if (d) return d;
  const file = (content: () => string): Node => new SynthFile(fs, fs.ino(), content);
  d = new SynthDir(fs, fs.ino(), new Map<string, Node>([
    ['unix', file(() => unixText(kernel))],
    ['tcp', file(() => tcpText(kernel, false))],
    ['tcp6', file(() => tcpText(kernel, true))],
    ['udp', file(() => udpText(kernel, false))],
    ['udp6', file(() => udpText(kernel, true))],
    ['raw', file(() => rawText(false))],
    ['raw6', file(() => rawText(true))],
    ['dev', file(devText)],
    ['if_inet6', file(ifInet6Text)],
    ['route', file(routeText)],
    ['packet', file(packetText)],
  ]));
  dirs.set(fs, d);
  return d;
}
