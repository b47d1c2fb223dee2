// AF_UNIX addresses (struct sockaddr_un, unix(7)): filesystem paths, the abstract namespace (sun_path[0] == 0)
// and unnamed sockets, with the exact lengths Linux keeps and returns (net/unix/af_unix.c unix_mkname_bsd).
import { E, err } from '../kernel/errno.js';

export const AF_UNIX = 1;
const SUN_PATH = 2; // offsetof(struct sockaddr_un, sun_path)
const SOCKADDR_UN_SIZE = 110;

/** A socket's name: the sockaddr_un bytes getsockname returns; `path` for a filesystem name, else abstract. */
export interface UnixAddress {
  bytes: Uint8Array;
  path: string | null;
  /** The abstract name's bytes as a map key (latin1), including the leading NUL. */
  key: string;
}

/**
 * A sockaddr_un given to bind/connect/sendto (unix_validate_addr): EINVAL unless the family is AF_UNIX and
 * at least one byte of sun_path is given. A path ends at its first NUL and is kept with one NUL after it;
 * an abstract name is exactly the bytes given.
 */
export function parseUnixAddress(raw: Uint8Array): UnixAddress {
  if (raw.length <= SUN_PATH || raw.length > SOCKADDR_UN_SIZE || (raw[0] | (raw[1] << 8)) !== AF_UNIX) throw err(E.EINVAL);
  const sun = raw.subarray(SUN_PATH);
  if (sun[0] === 0) return { bytes: Uint8Array.from(raw), path: null, key: latin1(sun) };
  const end = sun.indexOf(0);
  const name = end < 0 ? sun : sun.subarray(0, end);
  const bytes = new Uint8Array(SUN_PATH + name.length + 1);
  bytes.set(raw.subarray(0, SUN_PATH));
  bytes.set(name, SUN_PATH);
  const path = latin1(name);
  return { bytes, path, key: path };
}

/** The family alone: the sockaddr of an unnamed socket (its length is offsetof(sun_path), 2). */
export const UNNAMED = Uint8Array.of(AF_UNIX, 0);

/** An autobind name (unix_autobind): "\0" followed by five hex digits, 8 bytes long in all. */
export function autobindAddress(n: number): UnixAddress {
  const sun = Buffer.from(`\0${(n & 0xfffff).toString(16).padStart(5, '0')}`, 'latin1');
  const bytes = new Uint8Array(SUN_PATH + sun.length);
  bytes[0] = AF_UNIX;
  bytes.set(sun, SUN_PATH);
  return { bytes, path: null, key: latin1(sun) };
}

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
