// An installed distro's VolFs store as the two ends of an image operation, over VolFs's own writer (import)
// and reader (export), which keep the store's invariants and refuse paths leaving the tree.
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG } from '../../emu/fs/constants.js';
import { VolReader } from '../../emu/fs/volfs/reader.js';
import { VolWriter } from '../../emu/fs/volfs/writer.js';
import type { DistroStore } from './operations.js';
import type { Meta, SourceEntry } from './sink.js';

const TYPE_BITS = { char: S_IFCHR, block: S_IFBLK, fifo: S_IFIFO } as const;
const KIND = new Map<number, SourceEntry['type']>([
  [S_IFDIR, 'dir'], [S_IFREG, 'file'], [S_IFLNK, 'symlink'], [S_IFCHR, 'char'], [S_IFBLK, 'block'], [S_IFIFO, 'fifo'],
]);
/** Linux's dev_t encoding (new_encode_dev): minor's low byte, major, then minor's high bits. */
const makedev = (ma: number, mi: number): number => ((mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & ~0xff) << 12)) >>> 0;
const major = (d: number): number => (d >>> 8) & 0xfff;
const minor = (d: number): number => (d & 0xff) | ((d >>> 12) & 0xfff00);

/** `create`: a new store to import into; otherwise an existing one to export. */
export function openVolfsStore(dir: string, create: boolean): DistroStore {
  let writer: VolWriter | null = create ? new VolWriter(dir) : null;
  let reader: VolReader | null = create ? null : new VolReader(dir);
  const w = (): VolWriter => writer ?? (() => { throw new Error('the store was opened for reading'); })();
  return {
    dir: (path: string, m: Meta) => w().mkdir(path, m),
    file: (path: string, m: Meta, body: AsyncIterable<Buffer>) => w().file(path, m, body),
    symlink: (path: string, target: string, m: Meta) => w().symlink(path, target, m),
    hardlink: (path: string, existing: string) => w().hardlink(path, existing),
    node: (path: string, m: Meta, type: 'char' | 'block' | 'fifo', ma: number, mi: number) =>
      w().mknod(path, { ...m, mode: TYPE_BITS[type] | m.mode }, type === 'fifo' ? 0 : makedev(ma, mi)),
    // the writer leaves a directory's times as its own entry gave them: nothing changed them since
    dirTime: () => undefined,
    finish: () => w().flush(),
    close: () => { writer?.close(); reader?.close(); writer = reader = null; },
    async *walk(): AsyncGenerator<SourceEntry> {
      for (const e of reader!.entries()) {
        const type = KIND.get(e.mode & S_IFMT);
        if (!type) continue; // sockets live only while bound: tar has no member type for them
        yield {
          path: e.path, type, id: String(e.ino), nlink: e.nlink, size: type === 'file' ? e.size : 0,
          meta: { mode: e.mode & 0o7777, uid: e.uid, gid: e.gid, mtimeNs: e.mtimeNs, xattrs: e.xattrs },
          linkTarget: e.target ?? '', major: major(e.rdev), minor: minor(e.rdev), contents: () => e.contents(),
        };
      }
    },
  };
}
