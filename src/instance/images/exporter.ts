// Exporting a distro's filesystem as a tar archive (pax format): every node with owner, mode, mtime and
// xattrs; the second and later names of a multiply-linked file become hard-link members.
import type { ImageSource } from './sink.js';
import { TarWriter, type Sink } from './tar-writer.js';

export interface ExportStats { members: number; bytes: number; }

export async function exportTar(src: ImageSource, out: Sink, onProgress?: (s: ExportStats) => void): Promise<ExportStats> {
  const w = new TarWriter(out);
  const stats: ExportStats = { members: 0, bytes: 0 };
  const firstName = new Map<string, string>();
  for await (const e of src.walk()) {
    const base = {
      name: e.path, mode: e.meta.mode, uid: e.meta.uid, gid: e.meta.gid, uname: '', gname: '', size: 0,
      mtimeNs: e.meta.mtimeNs, linkName: '', devMajor: e.major, devMinor: e.minor, xattrs: e.meta.xattrs,
    };
    const first = e.type !== 'dir' && e.nlink > 1 ? firstName.get(e.id) : undefined;
    if (first !== undefined) {
      await w.add({ ...base, type: 'hardlink', linkName: first });
    } else {
      if (e.type !== 'dir' && e.nlink > 1) firstName.set(e.id, e.path);
      if (e.type === 'file') {
        await w.add({ ...base, type: 'file', size: e.size }, e.contents());
        stats.bytes += e.size;
      } else {
        await w.add({ ...base, type: e.type, linkName: e.linkTarget });
      }
    }
    stats.members++;
    onProgress?.(stats);
  }
  await w.finish();
  return stats;
}
