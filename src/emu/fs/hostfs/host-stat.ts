// Host metadata to the kernel's Stat, and host errors to Linux errors, for hostfs.
import type { BigIntStats } from 'node:fs';
import { fromHostError } from '../../kernel/errno.js';
import type { Stat } from '../stat.js';

export function toStat(s: BigIntStats): Stat {
  return {
    dev: Number(s.dev), ino: s.ino, mode: Number(s.mode), nlink: Number(s.nlink), uid: Number(s.uid),
    gid: Number(s.gid), rdev: Number(s.rdev), size: Number(s.size), blksize: Number(s.blksize),
    blocks: Number(s.blocks), atimeNs: s.atimeNs, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs,
    btimeNs: s.birthtimeNs > 0n ? s.birthtimeNs : null,
  };
}

/** Run a host call, turning its error into the Linux errno. */
export function host<T>(fn: () => T): T {
  try { return fn(); } catch (e) { throw fromHostError(e); }
}
