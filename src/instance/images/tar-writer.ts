// Writing a tar archive in the POSIX pax format: a ustar header per member, preceded by a pax extended header
// when a field does not fit ustar (long names, big ids or sizes, sub-second mtimes, xattrs). GNU tar,
// bsdtar and our reader read it back losslessly.
import {
  BLOCK, TYPEFLAG, TarError, checksum, fitsOctal, formatPax, formatPaxTime, putNum, putText, type TarEntry,
} from './tar-format.js';

export type Sink = (b: Buffer) => Promise<void> | void;

const pad = (n: number): Buffer => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

export class TarWriter {
  constructor(private readonly out: Sink) {}

  /** One member; `body` must give exactly e.size bytes for a regular file. */
  async add(e: TarEntry, body?: AsyncIterable<Buffer> | Buffer): Promise<void> {
    const name = e.type === 'dir' && e.name !== '' ? `${e.name}/` : e.name || './';
    const size = e.type === 'file' ? e.size : 0;
    const pax: Array<[string, Buffer]> = [];
    const bin = (s: string): Buffer => Buffer.from(s, 'latin1');
    const { ustarName, prefix } = splitName(name);
    if (ustarName === undefined) pax.push(['path', bin(name)]);
    if (Buffer.byteLength(e.linkName, 'latin1') > 100) pax.push(['linkpath', bin(e.linkName)]);
    if (!fitsOctal('uid', e.uid)) pax.push(['uid', bin(String(e.uid))]);
    if (!fitsOctal('gid', e.gid)) pax.push(['gid', bin(String(e.gid))]);
    if (!fitsOctal('size', size)) pax.push(['size', bin(String(size))]);
    if (e.mtimeNs % 1_000_000_000n !== 0n || e.mtimeNs < 0n) pax.push(['mtime', bin(formatPaxTime(e.mtimeNs))]);
    for (const [k, v] of e.xattrs) pax.push([`SCHILY.xattr.${k}`, v]);
    if (pax.length) {
      const data = formatPax(pax);
      await this.out(header({ ...e, type: 'file', mode: 0o644, size: data.length }, 'x', `PaxHeaders/${(ustarName ?? 'long').slice(-80)}`, '', data.length));
      await this.out(data);
      await this.out(pad(data.length));
    }
    await this.out(header(e, TYPEFLAG[e.type], ustarName ?? name.slice(0, 100), prefix, size));
    if (size > 0) {
      let n = 0;
      for await (const b of Buffer.isBuffer(body) ? [body] : body ?? []) { n += b.length; if (n > size) break; await this.out(b); }
      if (n !== size) throw new TarError(`${e.name}: size changed while archiving (${n} bytes read, ${size} expected)`);
      await this.out(pad(size));
    }
  }

  /** The end-of-archive marker: two zero blocks. */
  async finish(): Promise<void> { await this.out(Buffer.alloc(2 * BLOCK)); }
}

/** ustar's name/prefix split (prefix up to 155 bytes, name up to 100, split at a "/"); undefined if impossible. */
function splitName(name: string): { ustarName: string | undefined; prefix: string } {
  const len = Buffer.byteLength(name, 'latin1');
  if (len <= 100) return { ustarName: name, prefix: '' };
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    if (i <= 155 && len - i - 1 <= 100 && len - i - 1 > 0) return { ustarName: name.slice(i + 1), prefix: name.slice(0, i) };
  }
  return { ustarName: undefined, prefix: '' };
}

function header(e: TarEntry, flag: string, name: string, prefix: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  putText(h, 'name', name);
  putNum(h, 'mode', e.mode & 0o7777);
  putNum(h, 'uid', fitsOctal('uid', e.uid) ? e.uid : 0);
  putNum(h, 'gid', fitsOctal('gid', e.gid) ? e.gid : 0);
  putNum(h, 'size', fitsOctal('size', size) ? size : 0);
  const sec = e.mtimeNs / 1_000_000_000n - (e.mtimeNs < 0n && e.mtimeNs % 1_000_000_000n !== 0n ? 1n : 0n);
  putNum(h, 'mtime', sec < 0n ? 0 : Number(sec));
  h[156] = flag.charCodeAt(0);
  putText(h, 'linkname', Buffer.byteLength(e.linkName, 'latin1') <= 100 ? e.linkName : e.linkName.slice(0, 100));
  h.write('ustar\x0000', 257, 8, 'latin1');
  putText(h, 'uname', e.uname.length <= 31 ? e.uname : '');
  putText(h, 'gname', e.gname.length <= 31 ? e.gname : '');
  if (e.type === 'char' || e.type === 'block') { putNum(h, 'devmajor', e.devMajor); putNum(h, 'devminor', e.devMinor); }
  putText(h, 'prefix', prefix);
  h.write(checksum(h).toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return h;
}
