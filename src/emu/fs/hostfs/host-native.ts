// Host calls through the CPU addon that node:fs lacks. mknod(2) makes FIFO and socket inodes in a host
// directory: nothing on the host is connected to them (the kernel's FIFO pipes and AF_UNIX registry key their
// own objects by the inode), so `ls -l` shows `p` or `s`, and the name survives as on Linux. utimensat(2) sets
// times to the nanosecond, before 1970 too (node:fs's utimes rounds to microseconds and takes negatives as now).
import * as fs from 'node:fs';
import { getSystemErrorName } from 'node:util';
import { loadNative } from '../../cpu/native.js';
import { fromHostError } from '../../kernel/errno.js';
import { UTIME_NOW, UTIME_OMIT } from '../constants.js';
import { host, hp } from './host-stat.js';

/** Create `path` (a latin1 byte string walked by hostfs) as a node of `mode`'s type and permissions. */
export function hostMknod(path: string, mode: number): void {
  const e = loadNative().hostMknod(hp(path), mode, 0);
  if (e !== 0) throw fromHostError({ code: getSystemErrorName(-e) }); // the host errno by name, as node:fs reports
  host(() => fs.chmodSync(hp(path), mode & 0o7777)); // the host's umask must not change the guest's mode
}

/** Set a host path's times (ns since the epoch, 'now' the host's, undefined as it is), a final symlink not followed. */
export function hostUtimes(path: string, atimeNs: bigint | 'now' | undefined, mtimeNs: bigint | 'now' | undefined): void {
  const split = (ns: bigint | 'now' | undefined): [number, number] =>
    ns === undefined ? [0, UTIME_OMIT] : ns === 'now' ? [0, UTIME_NOW] : [Number(ns / NS - (ns % NS < 0n ? 1n : 0n)), Number(((ns % NS) + NS) % NS)];
  const native = loadNative();
  if (typeof native.hostUtimens !== 'function') return oldAddonUtimes(path, atimeNs, mtimeNs);
  const e = native.hostUtimens(hp(path), ...split(atimeNs), ...split(mtimeNs));
  if (e !== 0) throw fromHostError({ code: getSystemErrorName(-e) });
}
const NS = 1_000_000_000n;

/** An addon built before hostUtimens (until `npm run build:native`): node:fs's microseconds, after 1970. */
function oldAddonUtimes(path: string, atimeNs: bigint | 'now' | undefined, mtimeNs: bigint | 'now' | undefined): void {
  const st = host(() => fs.lstatSync(hp(path), { bigint: true }));
  const sec = (ns: bigint | 'now' | undefined, old: bigint): number => ns === 'now' ? Date.now() / 1000 : Number(ns ?? old) / 1e9;
  host(() => fs.lutimesSync(hp(path), sec(atimeNs, st.atimeNs), sec(mtimeNs, st.mtimeNs)));
}
