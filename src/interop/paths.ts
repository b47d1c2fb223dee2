// Host <-> Linux path translation: a root that is a host directory (--root), and the host's own tree seen
// through its mount inside Linux (DrvFs's first step: the host's "/" at /mnt/host on POSIX hosts).
import { resolve, sep } from 'node:path';

/** Where the host's root directory appears inside Linux on a POSIX host. */
export const HOST_MOUNT = '/mnt/host';

/** The Linux path of a host path inside `root`, or null when it lies outside. */
export function hostToLinux(root: string, hostPath: string): string | null {
  const r = resolve(root), p = resolve(hostPath);
  if (p === r) return '/';
  if (!p.startsWith(r.endsWith(sep) ? r : r + sep)) return null;
  return '/' + p.slice(r.length).split(sep).filter(Boolean).join('/');
}

/** The host path through the host mount (POSIX hosts), or null where there is none. */
export function hostMountPath(hostPath: string): string | null {
  if (sep !== '/') return null;
  const p = resolve(hostPath);
  return p === '/' ? HOST_MOUNT : HOST_MOUNT + p;
}
