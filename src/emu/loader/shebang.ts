// "#!" scripts, as fs/binfmt_script.c parses them: the first BINPRM_BUF_SIZE (256) bytes, the
// interpreter path up to the first space/tab/NUL, the rest of the line (trimmed) as ONE optional argument.
// Without a newline in the buffer, a line is accepted only if the interpreter path is not truncated (a cut
// argument is kept truncated, like Linux since 5.0); a truncated path is ENOEXEC.
import { LinuxError, E } from '../kernel/errno.js';

export const BINPRM_BUF_SIZE = 256;

export interface Shebang { interp: string; arg: string | null; }

export const isShebang = (head: Uint8Array): boolean => head.length >= 2 && head[0] === 0x23 && head[1] === 0x21;

const spacetab = (c: number): boolean => c === 0x20 || c === 0x09;

/** Parse the start of a file beginning with "#!". `head`: up to its first 256 bytes. */
export function parseShebang(head: Uint8Array): Shebang {
  if (!isShebang(head)) throw new LinuxError(E.ENOEXEC);
  const buf = new Uint8Array(BINPRM_BUF_SIZE); // zero-filled past EOF, as the kernel's buffer is
  buf.set(head.subarray(0, BINPRM_BUF_SIZE));
  const bufEnd = BINPRM_BUF_SIZE - 1;
  const nonSpacetab = (first: number, last: number): number => {
    for (; first <= last; first++) if (!spacetab(buf[first])) return first;
    return -1;
  };
  const terminator = (first: number, last: number): number => {
    for (; first <= last; first++) if (spacetab(buf[first]) || buf[first] === 0) return first;
    return -1;
  };
  let end = -1;
  for (let i = 0; i < BINPRM_BUF_SIZE && buf[i] !== 0; i++) if (buf[i] === 0x0a) { end = i; break; }
  if (end < 0) {
    const first = nonSpacetab(2, bufEnd);
    if (first < 0) throw new LinuxError(E.ENOEXEC, 'only blanks after #!');
    if (terminator(first, bufEnd) < 0) throw new LinuxError(E.ENOEXEC, 'interpreter path truncated');
    end = bufEnd;
  }
  while (spacetab(buf[end - 1])) end--;
  const name = nonSpacetab(2, end);
  if (name < 0 || name === end) throw new LinuxError(E.ENOEXEC, 'no interpreter after #!');
  const sep = terminator(name, end);
  let arg: string | null = null;
  if (sep >= 0 && buf[sep] !== 0) {
    const a = nonSpacetab(sep, end);
    if (a >= 0 && a < end) arg = cstr(buf, a, end);
  }
  return { interp: cstr(buf, name, sep >= 0 ? sep : end), arg };
}

/** Bytes [from, to) up to the first NUL, as a byte string. */
function cstr(buf: Uint8Array, from: number, to: number): string {
  const nul = buf.subarray(from, to).indexOf(0);
  return Buffer.from(buf.buffer, from, nul < 0 ? to - from : nul).toString('latin1');
}
