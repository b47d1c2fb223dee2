// Reading a tar archive member by member (ustar, GNU long names, pax extended and global headers with
// xattrs). Bodies are streamed to the caller; nothing is buffered beyond one chunk. Every number and name
// is validated: a corrupt or hostile archive ends with a TarError naming the byte offset.
import { ByteSource, TruncatedError, type Chunks } from './byte-source.js';
import {
  BLOCK, TarError, checksum, isZeroBlock, num, paxTime, parsePax, safeName, text, typeOfFlag, type TarEntry,
} from './tar-format.js';

/** Extended headers (pax, GNU long names) are metadata: cap them so a hostile size cannot exhaust memory. */
const MAX_META = 1 << 20;

export type MemberHandler = (e: TarEntry, body: AsyncIterable<Buffer>) => Promise<void>;

/** How far past a parse error the input is read to see whether it fails itself. */
const DRAIN_FOR_CAUSE = 1 << 20;

const pad = (n: number): number => (BLOCK - (n % BLOCK)) % BLOCK;

/** Call `onMember` for each member in order; the body not consumed by the handler is skipped. */
export async function readTar(input: Chunks, onMember: MemberHandler): Promise<void> {
  const src = new ByteSource(input);
  try {
    await readMembers(src, onMember);
  } catch (e) {
    // garbage from a corrupt compressed input reaches the parser before the decompressor's own error: the
    // latter is the cause, so give it a chance to surface first
    if (e instanceof TruncatedError || e instanceof TarError) await src.drain(DRAIN_FOR_CAUSE);
    if (e instanceof TruncatedError) throw new TarError(`truncated archive: ${e.message}`);
    if (e instanceof TarError) throw new TarError(`${e.message} (near byte ${src.offset})`);
    throw e;
  } finally {
    await src.close();
  }
}

async function readMembers(src: ByteSource, onMember: MemberHandler): Promise<void> {
  let global = new Map<string, Buffer>();
  let local = new Map<string, Buffer>();
  let longName: string | undefined;
  let longLink: string | undefined;
  let seen = 0;
  for (;;) {
    const h = await src.read(BLOCK);
    if (h === null) {
      if (seen === 0) throw new TarError('empty input: not a tar archive');
      return; // no end-of-archive blocks: accepted, as GNU tar does
    }
    if (isZeroBlock(h)) return;
    const sum = num(h, 'chksum');
    if (sum !== checksum(h)) throw new TarError(seen === 0 ? 'not a tar archive (bad header checksum)' : 'bad header checksum');
    seen++;
    const flag = String.fromCharCode(h[156]!);
    const size = num(h, 'size');
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      if (size > MAX_META) throw new TarError(`extended header of ${size} bytes is too large`);
      const data = (await src.read(size + pad(size))) ?? Buffer.alloc(0);
      if (data.length < size) throw new TruncatedError('extended header cut short');
      const body = data.subarray(0, size);
      if (flag === 'x') local = parsePax(body);
      else if (flag === 'g') global = new Map([...global, ...parsePax(body)]);
      else {
        const end = body.indexOf(0);
        const s = body.subarray(0, end < 0 ? body.length : end).toString('latin1');
        if (flag === 'L') longName = s; else longLink = s;
      }
      continue;
    }
    const type = typeOfFlag(flag);
    if (!type) throw new TarError(`unsupported member type '${flag}'${flag === 'S' ? ' (GNU sparse)' : ''}`);
    const pax = new Map([...global, ...local]);
    const e = entryOf(h, type, size, pax, longName, longLink);
    local = new Map();
    longName = longLink = undefined;
    // only regular files carry data (a hard link's size field, if any, is not followed by data in GNU/pax)
    const dataSize = type === 'file' ? e.size : 0;
    if (type !== 'file') e.size = 0;
    let left = dataSize;
    const body = (async function* () {
      for await (const p of src.pieces(left)) { left -= p.length; yield p; }
    })();
    await onMember(e, body);
    await src.skip(left + pad(dataSize));
  }
}

function entryOf(h: Buffer, type: TarEntry['type'], size: number, pax: Map<string, Buffer>, longName?: string, longLink?: string): TarEntry {
  const p = (k: string): string | undefined => pax.get(k)?.toString('latin1');
  const int = (k: string, dflt: number): number => {
    const v = p(k);
    if (v === undefined) return dflt;
    if (!/^\d+$/.test(v) || Number(v) > Number.MAX_SAFE_INTEGER) throw new TarError(`bad pax ${k} ${JSON.stringify(v)}`);
    return Number(v);
  };
  const prefix = text(h, 'prefix');
  const ustarName = prefix && text(h, 'magic').startsWith('ustar\0') ? `${prefix}/${text(h, 'name')}` : text(h, 'name');
  const rawName = p('path') ?? longName ?? ustarName;
  const rawLink = p('linkpath') ?? longLink ?? text(h, 'linkname');
  const mtime = p('mtime');
  const xattrs = new Map<string, Buffer>();
  for (const [k, v] of pax) {
    if (k.startsWith('SCHILY.xattr.')) xattrs.set(k.slice(13), v);
    // libarchive's form: the name URL-encoded, the value base64
    else if (k.startsWith('LIBARCHIVE.xattr.')) xattrs.set(decodeURIComponent(k.slice(17)), Buffer.from(v.toString('latin1'), 'base64'));
    else if (k.startsWith('GNU.sparse.')) throw new TarError('GNU sparse members are not supported');
  }
  return {
    name: safeName(rawName),
    type,
    mode: num(h, 'mode') & 0o7777,
    uid: int('uid', num(h, 'uid')),
    gid: int('gid', num(h, 'gid')),
    uname: p('uname') ?? text(h, 'uname'),
    gname: p('gname') ?? text(h, 'gname'),
    size: int('size', size),
    mtimeNs: mtime !== undefined ? paxTime(mtime) : BigInt(num(h, 'mtime')) * 1_000_000_000n,
    // a hard link names another member (made safe the same way); a symlink's target is kept as written
    linkName: type === 'hardlink' ? safeName(rawLink) : rawLink,
    devMajor: int('SCHILY.devmajor', num(h, 'devmajor')),
    devMinor: int('SCHILY.devminor', num(h, 'devminor')),
    xattrs,
  };
}
