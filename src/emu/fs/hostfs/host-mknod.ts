// FIFO and socket inodes in a host directory (mknod(2) through the CPU addon: Node's fs has no mknod).
// Nothing on the host is connected to them: the kernel's FIFO pipes and AF_UNIX registry key their own
// objects by the inode, so `ls -l` shows `p` or `s`, and the name survives as on Linux.
import * as fs from 'node:fs';
import { getSystemErrorName } from 'node:util';
import { loadNative } from '../../cpu/native.js';
import { fromHostError } from '../../kernel/errno.js';
import { host, hp } from './host-stat.js';

/** Create `path` (a latin1 byte string walked by hostfs) as a node of `mode`'s type and permissions. */
export function hostMknod(path: string, mode: number): void {
  const e = loadNative().hostMknod(hp(path), mode, 0);
  if (e !== 0) throw fromHostError({ code: getSystemErrorName(-e) }); // the host errno by name, as node:fs reports
  host(() => fs.chmodSync(hp(path), mode & 0o7777)); // the host's umask must not change the guest's mode
}
