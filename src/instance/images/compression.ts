// Archive input of any usual compression, recognised by its magic bytes: gzip through zlib, xz and zstd
// through the host's own programs (Node has no decoder for them), plain tar as is.
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

export type Compression = 'none' | 'gzip' | 'xz' | 'zstd';

export class CompressionError extends Error {}

const MAGIC: Array<[Compression, number[]]> = [
  ['gzip', [0x1f, 0x8b]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

export function sniff(head: Buffer): Compression {
  for (const [c, m] of MAGIC) if (m.every((b, i) => head[i] === b)) return c;
  return 'none';
}

/** The decompressed bytes of `input`, whatever its compression. */
export async function* decompressed(input: Readable): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  while (head.length < 6) {
    const r = await it.next();
    if (r.done) break;
    head = Buffer.concat([head, r.value]);
  }
  const rest = Readable.from((async function* () {
    if (head.length) yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })());
  const kind = sniff(head);
  if (kind === 'none') { yield* rest; return; }
  if (kind === 'gzip') { yield* rest.pipe(zlib.createGunzip()); return; }
  yield* hostFilter(kind, rest);
}

/** Run the host's `xz -dc` / `zstd -dc` as a filter; a missing program or corrupt data is one clear error. */
async function* hostFilter(kind: 'xz' | 'zstd', src: Readable): AsyncGenerator<Buffer> {
  const child = spawn(kind, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  src.pipe(child.stdin).on('error', () => { /* the filter ended early: its status says why */ });
  let complete = false;
  try {
    try {
      yield* child.stdout as AsyncIterable<Buffer>;
    } catch { /* reported below */ }
    complete = true;
  } finally {
    if (!complete) child.kill(); // the reader stopped early (end-of-archive marker): the rest is not wanted
  }
  const failed = await Promise.race([spawnError, exited.then(() => null)]);
  if (failed) throw new CompressionError(`${kind}-compressed archives need the '${kind}' program on the host (${failed.message})`);
  const status = await exited;
  if (status !== 0) throw new CompressionError(`${kind} could not decompress the archive: ${stderr.trim().split('\n')[0] ?? `status ${status}`}`);
}
