// importTree: copy a host directory tree (a debootstrap rootfs) into a VolFs store with owners, modes,
// hard links, symlinks, device nodes, FIFOs, sockets, ns timestamps and xattrs kept. The host tree is read
// with lstat/readlink only (nothing followed); names travel as bytes, paths past PATH_MAX in steps (host-path.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK } from '../constants.js';
import { hostXattrs } from './host-xattrs.js';
import { hp } from '../hostfs/host-path.js';
import { type EntryMeta, VolWriter } from './writer.js';

export interface ImportStats {
  entries: number;
  /** Bytes of regular files copied. */
  bytes: number;
  /** False when the host's xattrs could not be read (no python3): none were imported. */
  xattrs: boolean;
}


const vanished = (e: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException)?.code ?? '');

export function importTree(hostDir: string, distroDir: string): ImportStats {
  const root = path.resolve(hostDir);
  const xattrs = hostXattrs(root);
  const w = new VolWriter(distroDir);
  const links = new Map<string, string>();
  const stats: ImportStats = { entries: 0, bytes: 0, xattrs: xattrs !== null };
  const meta = (st: fs.BigIntStats, rel: string): EntryMeta => ({
    mode: Number(st.mode), uid: Number(st.uid), gid: Number(st.gid), mtimeNs: st.mtimeNs, atimeNs: st.atimeNs,
    xattrs: xattrs?.get(rel || '.'),
  });
  /** rel: latin1 byte-string path relative to the root ("" for the root). */
  const visit = (rel: string): void => {
    try { visitEntry(rel); } catch (e) { if (!vanished(e)) throw e; }
  };
  const visitEntry = (rel: string): void => {
    const host = hp(rel ? `${root}/${rel}` : root);
    const st = fs.lstatSync(host, { bigint: true, throwIfNoEntry: false });
    if (!st) return; // removed while we walk (a live tree): as if it had never been there (so are ENOENTs below)
    const m = meta(st, rel);
    stats.entries++;
    const type = Number(st.mode) & S_IFMT;
    if (type !== S_IFDIR && st.nlink > 1n) {
      const key = `${st.dev}:${st.ino}`;
      const first = links.get(key);
      if (first !== undefined) { w.hardlink(rel, first); return; }
      links.set(key, rel);
    }
    switch (type) {
      case S_IFDIR: {
        w.mkdir(rel, m);
        const names = fs.readdirSync(host, { encoding: 'buffer' }).map((b) => b.toString('latin1')).sort();
        for (const n of names) visit(rel ? `${rel}/${n}` : n);
        return;
      }
      case S_IFREG:
        w.fileSync(rel, m, { hostFile: host as unknown as string });
        stats.bytes += Number(st.size);
        return;
      case S_IFLNK:
        w.symlink(rel, fs.readlinkSync(host, { encoding: 'buffer' }).toString('latin1'), m);
        return;
      case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
        w.mknod(rel, m, Number(st.rdev));
        return;
      default:
        throw new Error(`${rel}: unknown file type ${type.toString(8)}`);
    }
  };
  try { visit(''); } finally { w.close(); }
  return stats;
}
