// A distro tree in memory implementing both ends of an image operation, so the importer and exporter can
// be checked against GNU tar without a filesystem underneath.
import type { ImageSink, ImageSource, Meta, SourceEntry } from '../../../src/instance/images/sink.js';

interface MemNode { type: SourceEntry['type']; meta: Meta; data: Buffer; target: string; major: number; minor: number; id: number; }

export class MemTree implements ImageSink, ImageSource {
  readonly names = new Map<string, MemNode>();
  private nextId = 1;
  finished = false;

  constructor() { this.put('', 'dir', { mode: 0o755, uid: 0, gid: 0, mtimeNs: 0n, xattrs: new Map() }); }

  private put(path: string, type: MemNode['type'], meta: Meta, extra: Partial<MemNode> = {}): void {
    this.names.set(path, { type, meta, data: Buffer.alloc(0), target: '', major: 0, minor: 0, id: this.nextId++, ...extra });
  }

  dir(path: string, m: Meta): void {
    const old = this.names.get(path);
    if (old?.type === 'dir') old.meta = m; else this.put(path, 'dir', m);
  }
  async file(path: string, m: Meta, body: AsyncIterable<Buffer>): Promise<void> {
    const parts: Buffer[] = [];
    for await (const b of body) parts.push(b);
    this.put(path, 'file', m, { data: Buffer.concat(parts) });
  }
  symlink(path: string, target: string, m: Meta): void { this.put(path, 'symlink', m, { target }); }
  hardlink(path: string, existing: string): void { this.names.set(path, this.names.get(existing)!); }
  node(path: string, m: Meta, type: 'char' | 'block' | 'fifo', major: number, minor: number): void { this.put(path, type, m, { major, minor }); }
  dirTime(path: string, t: bigint): void { this.names.get(path)!.meta.mtimeNs = t; }
  finish(): void { this.finished = true; }

  async *walk(): AsyncGenerator<SourceEntry> {
    const links = new Map<MemNode, number>();
    for (const n of this.names.values()) links.set(n, (links.get(n) ?? 0) + 1);
    for (const path of [...this.names.keys()].sort()) {
      const n = this.names.get(path)!;
      yield {
        path, type: n.type, meta: n.meta, id: String(n.id), nlink: links.get(n)!, size: n.data.length, linkTarget: n.target,
        major: n.major, minor: n.minor, contents: async function* () { yield n.data; },
      };
    }
  }
}
