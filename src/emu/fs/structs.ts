// The x86-64 structs of the file calls, encoded as the guest reads them: struct stat (144 bytes),
// struct statx (256), struct statfs (120), linux_dirent64 / linux_dirent.
import { devMajor, devMinor } from './constants.js';
import type { DirEntry } from './node.js';
import type { Stat, StatFs } from './stat.js';

const NS = 1_000_000_000n;

function scratch(size: number): { u8: Uint8Array; dv: DataView } {
  const u8 = new Uint8Array(size);
  return { u8, dv: new DataView(u8.buffer) };
}

/** struct stat (arch/x86/include/uapi/asm/stat.h, x86-64). */
export function encodeStat(st: Stat): Uint8Array {
  const { u8, dv } = scratch(144);
  dv.setBigUint64(0, BigInt(st.dev), true);
  dv.setBigUint64(8, BigInt.asUintN(64, st.ino), true);
  dv.setBigUint64(16, BigInt(st.nlink), true);
  dv.setUint32(24, st.mode, true);
  dv.setUint32(28, st.uid, true);
  dv.setUint32(32, st.gid, true);
  dv.setBigUint64(40, BigInt(st.rdev), true);
  dv.setBigInt64(48, BigInt(st.size), true);
  dv.setBigInt64(56, BigInt(st.blksize), true);
  dv.setBigInt64(64, BigInt(st.blocks), true);
  [st.atimeNs, st.mtimeNs, st.ctimeNs].forEach((ns, i) => {
    dv.setBigInt64(72 + i * 16, floorDiv(ns), true);
    dv.setBigInt64(80 + i * 16, ns - floorDiv(ns) * NS, true);
  });
  return u8;
}

const floorDiv = (ns: bigint): bigint => (ns >= 0n ? ns / NS : -((-ns + NS - 1n) / NS));

export const STATX = {
  TYPE: 0x1, MODE: 0x2, NLINK: 0x4, UID: 0x8, GID: 0x10, ATIME: 0x20, MTIME: 0x40, CTIME: 0x80, INO: 0x100,
  SIZE: 0x200, BLOCKS: 0x400, BASIC_STATS: 0x7ff, BTIME: 0x800, MNT_ID: 0x1000, RESERVED: 0x80000000,
} as const;
const STATX_ATTR_MOUNT_ROOT = 0x2000n;

/**
 * struct statx (include/uapi/linux/stat.h) for a request `want`: stx_mask says what is filled. btime only when
 * asked for and the fs has it (ext4, shmem); mtime and ctime drop out of the mask when neither was asked for (the
 * multigrain timestamps of fill_mg_cmtime); STATX_ATTR_MOUNT_ROOT is known everywhere and set on mount roots.
 */
export function encodeStatx(st: Stat, mntId: number, want: number, mountRoot: boolean): Uint8Array {
  const { u8, dv } = scratch(256);
  let mask = STATX.BASIC_STATS | STATX.MNT_ID | (st.btimeNs !== null && (want & STATX.BTIME) ? STATX.BTIME : 0);
  if (!(want & (STATX.MTIME | STATX.CTIME))) mask &= ~(STATX.MTIME | STATX.CTIME);
  dv.setUint32(0, mask, true);
  dv.setBigUint64(8, mountRoot ? STATX_ATTR_MOUNT_ROOT : 0n, true);
  dv.setBigUint64(56, STATX_ATTR_MOUNT_ROOT, true);
  dv.setUint32(4, st.blksize, true);
  dv.setUint32(16, st.nlink, true);
  dv.setUint32(20, st.uid, true);
  dv.setUint32(24, st.gid, true);
  dv.setUint16(28, st.mode, true);
  dv.setBigUint64(32, BigInt.asUintN(64, st.ino), true);
  dv.setBigUint64(40, BigInt(st.size), true);
  dv.setBigUint64(48, BigInt(st.blocks), true);
  const ts = (off: number, ns: bigint) => {
    dv.setBigInt64(off, floorDiv(ns), true);
    dv.setUint32(off + 8, Number(ns - floorDiv(ns) * NS), true);
  };
  ts(64, st.atimeNs);
  if (mask & STATX.BTIME) ts(80, st.btimeNs!);
  ts(96, st.ctimeNs);
  ts(112, st.mtimeNs);
  dv.setUint32(128, devMajor(st.rdev), true);
  dv.setUint32(132, devMinor(st.rdev), true);
  dv.setUint32(136, devMajor(st.dev), true);
  dv.setUint32(140, devMinor(st.dev), true);
  dv.setBigUint64(144, BigInt(mntId), true);
  return u8;
}

/** struct statfs (x86-64: every field 64-bit except the two-int f_fsid). */
export function encodeStatfs(s: StatFs): Uint8Array {
  const { u8, dv } = scratch(120);
  [s.type, s.bsize, s.blocks, s.bfree, s.bavail, s.files, s.ffree].forEach((v, i) => dv.setBigInt64(i * 8, BigInt(v), true));
  dv.setInt32(56, s.fsid[0] | 0, true);
  dv.setInt32(60, s.fsid[1] | 0, true);
  dv.setBigInt64(64, BigInt(s.namelen), true);
  dv.setBigInt64(72, BigInt(s.frsize), true);
  dv.setBigInt64(80, BigInt(s.flags), true);
  return u8;
}

/**
 * Pack directory entries from index `start` into at most `size` bytes: linux_dirent64 (getdents64) or the old
 * linux_dirent (getdents: d_type in the last byte). d_off of entry i is i + 1, the cookie lseek takes back.
 * Entries `keep` refuses are passed over. Returns the bytes and the index of the first entry not packed.
 */
export function packDirents(entries: DirEntry[], start: number, size: number, old = false,
  keep: (e: DirEntry) => boolean = () => true): { bytes: Uint8Array; next: number } {
  const out = new Uint8Array(Math.min(size, 1 << 20));
  const dv = new DataView(out.buffer);
  let off = 0;
  let i = start;
  for (; i < entries.length; i++) {
    const e = entries[i]!;
    if (!keep(e)) continue;
    const nameLen = e.name.length;
    const reclen = (old ? 18 + nameLen + 2 : 19 + nameLen + 1) + 7 & ~7;
    if (off + reclen > out.length) break;
    dv.setBigUint64(off, BigInt.asUintN(64, e.ino), true);
    dv.setBigInt64(off + 8, BigInt(i + 1), true);
    dv.setUint16(off + 16, reclen, true);
    const nameOff = old ? off + 18 : off + 19;
    if (!old) out[off + 18] = e.type;
    for (let k = 0; k < nameLen; k++) out[nameOff + k] = e.name.charCodeAt(k) & 0xff;
    if (old) out[off + reclen - 1] = e.type;
    off += reclen;
  }
  return { bytes: out.subarray(0, off), next: i };
}
