// Host <-> Linux path translation: a root that is a host directory (--root), and the host's own tree seen
// through DrvFs inside Linux (the host's "/" at <automount root>host on POSIX hosts, each Windows drive at
// <automount root><letter>). The translations are pure functions of a HostView so both sides (the CLI's
// `pbash path`, the kernel's pbashpath, PBASHENV) answer alike; wslpath is the model.
import { posix, resolve, sep, win32 } from 'node:path';

/** The automount root (wsl.conf's [automount] root) when the distro's config does not change it. */
export const DEFAULT_AUTOMOUNT_ROOT = '/mnt/';
/** Where the host's root directory appears inside Linux on a POSIX host, with the default automount root. */
export const HOST_MOUNT = '/mnt/host';

/** What a translation needs to know of the host and the distro. */
export interface HostView {
  platform: NodeJS.Platform;
  /** The automount root, ending in '/'; null when automount is disabled (no host path is reachable). */
  mountRoot: string | null;
  /** The host directory of a distro whose root is a plain host directory (--root), else null. */
  distroRoot: string | null;
}

/** Characters a Windows file name cannot hold (and control characters), stored in the private-use area
 *  at U+F000 + the character, as WSL's DrvFs does, so every Linux name has a host name and back. */
const WIN_INVALID = /[\x01-\x1f:\\*?"<>|]/g;
const WIN_ESCAPED = /[\uf001-\uf01f\uf03a\uf05c\uf02a\uf03f\uf022\uf03c\uf03e\uf07c]/g;

/** A Linux file name as the host stores it (identity except on Windows hosts). */
export function escapeHostName(name: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') return name;
  return name.replace(WIN_INVALID, (c) => String.fromCharCode(0xf000 + c.charCodeAt(0)));
}

/** The Linux name of a host file name: escapeHostName's inverse. */
export function unescapeHostName(name: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') return name;
  return name.replace(WIN_ESCAPED, (c) => String.fromCharCode(c.charCodeAt(0) - 0xf000));
}

/** The Linux path of a host path inside `root`, or null when it lies outside. */
export function hostToLinux(root: string, hostPath: string): string | null {
  const r = resolve(root), p = resolve(hostPath);
  if (p === r) return '/';
  if (!p.startsWith(r.endsWith(sep) ? r : r + sep)) return null;
  return '/' + p.slice(r.length).split(sep).filter(Boolean).join('/');
}

/** The host path through the host mount (POSIX hosts), or null where there is none. */
export function hostMountPath(hostPath: string, mountRoot: string | null = DEFAULT_AUTOMOUNT_ROOT): string | null {
  if (sep !== '/' || mountRoot === null) return null;
  const p = resolve(hostPath);
  return p === '/' ? `${mountRoot}host` : `${mountRoot}host${p}`;
}

export class PathError extends Error {}

const DRIVE = /^([A-Za-z]):(?:[\\/]|$)/;

/**
 * A host path as Linux sees it (wslpath -u). Absolute host paths go through the DrvFs mounts; a relative
 * path stays relative (separators and escaped names translated), unless `cwd` is given (-a): then it is
 * made absolute from that Linux directory.
 */
export function hostPathToLinux(hostPath: string, v: HostView, cwd?: string): string {
  if (hostPath === '') throw new PathError('empty path');
  if (v.platform === 'win32') return winToLinux(hostPath, v, cwd);
  if (!hostPath.startsWith('/')) return cwd === undefined ? hostPath : posix.join(cwd, hostPath);
  if (v.mountRoot === null) throw new PathError(`${hostPath}: no host mount (automount is disabled)`);
  const p = posix.normalize(hostPath).replace(/(.)\/$/, '$1');
  return p === '/' ? `${v.mountRoot}host` : `${v.mountRoot}host${p}`;
}

function winToLinux(hostPath: string, v: HostView, cwd?: string): string {
  if (hostPath.startsWith('\\\\') || hostPath.startsWith('//')) throw new PathError(`${hostPath}: UNC paths are not mounted`);
  const names = (p: string): string[] => p.split(/[\\/]+/).filter(Boolean).map((n) => unescapeHostName(n, 'win32'));
  const d = DRIVE.exec(hostPath);
  if (!d) {
    if (/^[\\/]/.test(hostPath) || /^[A-Za-z]:/.test(hostPath)) throw new PathError(`${hostPath}: not a full host path`);
    const rel = names(hostPath).join('/');
    return cwd === undefined ? rel : posix.join(cwd, rel);
  }
  if (v.mountRoot === null) throw new PathError(`${hostPath}: no host mount (automount is disabled)`);
  return posix.join(`${v.mountRoot}${d[1]!.toLowerCase()}`, ...names(hostPath.slice(2)));
}

/**
 * A Linux path as the host names it (wslpath -w; -m: '/' separators on Windows). Paths under a DrvFs mount
 * become host paths; under a --root directory, the file inside it; anything else has no host name. A
 * relative path stays relative unless `cwd` is given (-a). On POSIX hosts -w and -m give the same answer.
 */
export function linuxPathToHost(linuxPath: string, v: HostView, mixed = false, cwd?: string): string {
  if (linuxPath === '') throw new PathError('empty path');
  const win = v.platform === 'win32';
  const out = (names: string[], prefix: string): string => {
    const esc = names.map((n) => escapeHostName(n, v.platform));
    return win ? prefix + esc.join(mixed ? '/' : '\\') : posix.join(prefix, ...esc);
  };
  if (!linuxPath.startsWith('/') && cwd === undefined) return out(linuxPath.split('/').filter(Boolean), '');
  const p = posix.resolve(cwd ?? '/', linuxPath);
  const names = p.split('/').filter(Boolean);
  if (v.mountRoot !== null && (p + '/').startsWith(v.mountRoot)) {
    const rest = p.slice(v.mountRoot.length).split('/').filter(Boolean);
    if (!win && rest[0] === 'host') return out(rest.slice(1), '/');
    if (win && rest[0] && /^[a-z]$/.test(rest[0])) return out(rest.slice(1), `${rest[0].toUpperCase()}:${mixed ? '/' : '\\'}`);
  }
  if (v.distroRoot !== null) {
    const root = (win ? win32 : posix).resolve(v.distroRoot);
    const sepr = win && !mixed ? '\\' : '/';
    const base = mixed ? root.replace(/\\/g, '/') : root;
    return names.length ? base.replace(/[\\/]$/, '') + sepr + names.map((n) => escapeHostName(n, v.platform)).join(sepr) : base;
  }
  throw new PathError(`${linuxPath}: not reachable from the host`);
}
