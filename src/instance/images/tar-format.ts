// The tar format as GNU tar and POSIX pax write it (ustar headers, base-256 numbers, pax extended headers,
// GNU long names): the field layout of one 512-byte header and the encoding of its fields. See tar(5).
export const BLOCK = 512;

export type EntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'dir' | 'fifo';

/** One archive member. Names and link targets are byte strings (latin1), as the kernel's paths are. */
export interface TarEntry {
  name: string;
  type: EntryType;
  /** Permission bits incl. setuid/setgid/sticky (07777). */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  size: number;
  mtimeNs: bigint;
  linkName: string;
  devMajor: number;
  devMinor: number;
  /** Extended attributes by full name ("user.x", "security.capability"). */
  xattrs: Map<string, Buffer>;
}

export class TarError extends Error {}

export const TYPEFLAG: Record<EntryType, string> = {
  file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6',
};
const BY_FLAG = new Map<string, EntryType>([
  ...Object.entries(TYPEFLAG).map(([k, v]) => [v, k as EntryType] as [string, EntryType]),
  ['\0', 'file'], ['7', 'file'], // '7' (contiguous file) is read as a regular file, as GNU tar does
]);

export function typeOfFlag(flag: string): EntryType | undefined { return BY_FLAG.get(flag); }

/** Field offsets and widths of the ustar header. */
export const F = {
  name: [0, 100], mode: [100, 8], uid: [108, 8], gid: [116, 8], size: [124, 12], mtime: [136, 12],
  chksum: [148, 8], type: [156, 1], linkname: [157, 100], magic: [257, 6], version: [263, 2],
  uname: [265, 32], gname: [297, 32], devmajor: [329, 8], devminor: [337, 8], prefix: [345, 155],
} as const satisfies Record<string, readonly [number, number]>;
type Field = keyof typeof F;

/** A NUL-terminated text field as a byte string. */
export function text(h: Buffer, f: Field): string {
  const [o, n] = F[f];
  const s = h.subarray(o, o + n);
  const end = s.indexOf(0);
  return s.subarray(0, end < 0 ? n : end).toString('latin1');
}

/** A numeric field: octal text, or base-256 (GNU) when the first byte's high bit is set. */
export function num(h: Buffer, f: Field): number {
  const [o, n] = F[f];
  const s = h.subarray(o, o + n);
  let v: bigint;
  if (s[0]! & 0x80) {
    if (s[0] === 0xff) throw new TarError(`negative ${f} field`);
    v = BigInt(s[0]! & 0x7f);
    for (let i = 1; i < n; i++) v = (v << 8n) | BigInt(s[i]!);
  } else {
    const t = s.toString('latin1').replace(/\0.*$/s, '').trim();
    if (t === '') return 0;
    if (!/^[0-7]+$/.test(t)) throw new TarError(`bad ${f} field ${JSON.stringify(t)}`);
    v = BigInt(`0o${t}`);
  }
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new TarError(`${f} field too large`);
  return Number(v);
}

/** The header checksum: the byte sum with the checksum field read as spaces. */
export function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum;
}

export function isZeroBlock(h: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (h[i] !== 0) return false;
  return true;
}

export function putText(h: Buffer, f: Field, s: string): void {
  const [o, n] = F[f];
  h.fill(0, o, o + n);
  h.write(s, o, Math.min(n, Buffer.byteLength(s, 'latin1')), 'latin1');
}

/** Write a number as octal when it fits, else base-256 (as GNU tar does for big sizes and ids). */
export function putNum(h: Buffer, f: Field, v: number): void {
  const [o, n] = F[f];
  const oct = v.toString(8);
  if (oct.length < n) {
    h.write(oct.padStart(n - 1, '0') + '\0', o, n, 'latin1');
    return;
  }
  let b = BigInt(v);
  for (let i = n - 1; i > 0; i--) { h[o + i] = Number(b & 0xffn); b >>= 8n; }
  h[o] = 0x80;
}

/** Whether a number fits the field as octal (otherwise pax carries it exactly). */
export function fitsOctal(f: Field, v: number): boolean { return v.toString(8).length < F[f][1]; }

/** pax records ("LEN key=value\n", LEN counting the whole record); values stay bytes. */
export function parsePax(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let i = 0;
  while (i < data.length) {
    if (data[i] === 0) break; // NUL padding after the last record
    const sp = data.indexOf(0x20, i);
    const len = sp > i ? Number(data.subarray(i, sp).toString('latin1')) : NaN;
    if (!Number.isInteger(len) || len <= sp - i + 1 || i + len > data.length || data[i + len - 1] !== 0x0a) {
      throw new TarError(`malformed pax record at offset ${i}`);
    }
    const rec = data.subarray(sp + 1, i + len - 1);
    const eq = rec.indexOf(0x3d);
    if (eq <= 0) throw new TarError(`malformed pax record at offset ${i}`);
    out.set(rec.subarray(0, eq).toString('utf8'), Buffer.from(rec.subarray(eq + 1)));
    i += len;
  }
  return out;
}

export function formatPax(records: Array<[string, Buffer]>): Buffer {
  const parts = records.map(([k, v]) => {
    const body = Buffer.concat([Buffer.from(` ${k}=`, 'utf8'), v, Buffer.from('\n')]);
    // the length prefix counts its own digits
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len = String(len).length + body.length;
    return Buffer.concat([Buffer.from(String(len)), body]);
  });
  return Buffer.concat(parts);
}

/** pax time "SECONDS[.FRACTION]" as nanoseconds. */
export function paxTime(v: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(v);
  if (!m) throw new TarError(`bad pax time ${JSON.stringify(v)}`);
  const ns = BigInt(m[2]!) * 1_000_000_000n + BigInt((m[3] ?? '').slice(0, 9).padEnd(9, '0') || '0');
  return m[1] ? -ns : ns;
}

export function formatPaxTime(ns: bigint): string {
  const neg = ns < 0n;
  const a = neg ? -ns : ns;
  const frac = (a % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${a / 1_000_000_000n}${frac ? `.${frac}` : ''}`;
}

/**
 * A member name made safe: leading "/" and "./" dropped, "." components removed; "" is the archive's root.
 * A ".." component is refused: a member must never land outside the tree it is extracted into.
 */
export function safeName(raw: string): string {
  const parts: string[] = [];
  for (const p of raw.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') throw new TarError(`member ${JSON.stringify(raw)} contains '..'`);
    parts.push(p);
  }
  return parts.join('/');
}
