// Importing a tar archive into a distro's filesystem: every member written with its owner, mode, mtime and
// xattrs; parents a member needs but the archive lacks are made (0755 root); directory mtimes applied last.
// Safety: names are made relative and '..'-free by the reader, hard links must name an earlier member, and
// the sink sees only paths inside its root — an archive cannot write anywhere else.
import { TarError, type TarEntry } from './tar-format.js';
import { readTar } from './tar-reader.js';
import type { Chunks } from './byte-source.js';
import type { ImageSink, Meta } from './sink.js';

export interface ImportStats { members: number; bytes: number; }

export async function importTar(input: Chunks, sink: ImageSink, onProgress?: (s: ImportStats) => void): Promise<ImportStats> {
  const stats: ImportStats = { members: 0, bytes: 0 };
  const dirs = new Set<string>(['']);
  const dirTimes = new Map<string, bigint>();
  const written = new Map<string, TarEntry['type']>();

  const ensureParents = async (name: string): Promise<void> => {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (dirs.has(p)) continue;
      if (written.has(p)) throw new TarError(`member ${JSON.stringify(name)}: ${JSON.stringify(p)} is not a directory`);
      await sink.dir(p, { mode: 0o755, uid: 0, gid: 0, mtimeNs: 0n, xattrs: new Map() });
      dirs.add(p);
    }
  };

  await readTar(input, async (e, body) => {
    const m: Meta = { mode: e.mode, uid: e.uid, gid: e.gid, mtimeNs: e.mtimeNs, xattrs: e.xattrs };
    await ensureParents(e.name);
    if (e.type !== 'dir' && dirs.has(e.name)) throw new TarError(`member ${JSON.stringify(e.name || '/')}: replaces a directory`);
    switch (e.type) {
      case 'dir':
        if (written.has(e.name)) throw new TarError(`member ${JSON.stringify(e.name)}: a directory over a file`);
        await sink.dir(e.name, m);
        dirs.add(e.name);
        dirTimes.set(e.name, e.mtimeNs);
        break;
      case 'file':
        await sink.file(e.name, m, (async function* () {
          for await (const b of body) { stats.bytes += b.length; yield b; }
        })());
        break;
      case 'symlink': await sink.symlink(e.name, e.linkName, m); break;
      case 'hardlink': {
        const t = written.get(e.linkName);
        if (t === undefined || t === 'dir') throw new TarError(`member ${JSON.stringify(e.name)}: hard link to ${JSON.stringify(e.linkName)}, which is not an earlier file of the archive`);
        await sink.hardlink(e.name, e.linkName);
        break;
      }
      default: await sink.node(e.name, m, e.type, e.devMajor, e.devMinor);
    }
    if (e.type !== 'dir') written.set(e.name, e.type === 'hardlink' ? written.get(e.linkName)! : e.type);
    stats.members++;
    onProgress?.(stats);
  });
  // deepest first, so setting a child's time never disturbs its parent's
  for (const [p, t] of [...dirTimes].sort(([a], [b]) => b.length - a.length)) await sink.dirTime(p, t);
  await sink.finish();
  return stats;
}
