// The kernel's view of a file's attributes (struct kstat, include/linux/stat.h) and of a filesystem's (struct kstatfs).

export interface Stat {
  dev: number;
  ino: bigint;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** Creation time when the filesystem records one. */
  btimeNs: bigint | null;
}

export interface StatFs {
  type: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  fsid: [number, number];
  namelen: number;
  frsize: number;
  flags: number;
}

/** Attribute changes (struct iattr): chmod, chown, utimens, truncate. Absent fields are left alone. */
export interface SetAttr {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atimeNs?: bigint;
  mtimeNs?: bigint;
  /** The time is utimensat's UTIME_NOW: a filesystem with its own clock (hostfs) takes its now instead, so
   *  that a later change's time never precedes it. */
  atimeNow?: boolean;
  mtimeNow?: boolean;
}

export const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

/** A synthetic Stat for in-memory filesystems. */
export function synthStat(dev: number, ino: number | bigint, mode: number, extra: Partial<Stat> = {}): Stat {
  const t = extra.mtimeNs ?? bootNs;
  return {
    dev, ino: BigInt(ino), mode, nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0,
    atimeNs: t, mtimeNs: t, ctimeNs: t, btimeNs: null, ...extra,
  };
}
const bootNs = nowNs();

/** statfs of an in-memory filesystem: zero blocks, as Linux reports for proc and sysfs. */
export const synthStatFs = (type: number, dev: number): StatFs => ({
  type, bsize: 4096, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, fsid: [dev, 0], namelen: 255,
  frsize: 4096, flags: 0,
});
