// Host calls through the CPU addon that node:fs lacks. mknod(2) makes FIFO and socket inodes in a host
// directory: nothing on the host is connected to them (the kernel's FIFO pipes and AF_UNIX registry key their
// own objects by the inode), so `ls -l` shows `p` or `s`, and the name survives as on Linux. utimensat(2) sets
// times to the nanosecond, before 1970 too (node:fs's utimes rounds to microseconds and takes negatives as now).
import * as fs from 'node:fs';
import { getSystemErrorName } from 'node:util';
import { loadNative } from '../../cpu/native.js';
import { fromHostError } from '../../kernel/errno.js';
import { UTIME_NOW, UTIME_OMIT } from '../constants.js';
import { host } from './host-stat.js';
import { hp } from './host-path.js';

/** Create `path` (a latin1 byte string walked by hostfs) as a node of `mode`'s type and permissions. */
export function hostMknod(path: string, mode: number): void {
  const e = loadNative().hostMknod(hp(path), mode, 0);
  if (e !== 0) throw fromHostError({ code: getSystemErrorName(-e) }); // the host errno by name, as node:fs reports
  host(() => fs.chmodSync(hp(path), mode & 0o7777)); // the host's umask must not change the guest's mode
}

type HostTime = bigint | 'now' | undefined;
const NS = 1_000_000_000n;

/** A time as timespec fields: ns since the epoch (seconds floored, before 1970 too), UTIME_NOW, or UTIME_OMIT. */
function timespec(ns: HostTime): [number, number] {
  if (ns === undefined) return [0, UTIME_OMIT];
  if (ns === 'now') return [0, UTIME_NOW];
  const nsec = ((ns % NS) + NS) % NS;
  return [Number((ns - nsec) / NS), Number(nsec)];
}

/** Set a host path's times (ns since the epoch, 'now' the host's, undefined as it is), a final symlink not followed. */
export function hostUtimes(path: string, atimeNs: HostTime, mtimeNs: HostTime): void {
  const e = loadNative().hostUtimens(hp(path), ...timespec(atimeNs), ...timespec(mtimeNs));
  if (e !== 0) throw fromHostError({ code: getSystemErrorName(-e) });
}
