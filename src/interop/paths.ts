// Host <-> Linux path translation for a root that is a host directory (--root).
import { resolve, sep } from 'node:path';

/** The Linux path of a host path inside `root`, or null when it lies outside. */
export function hostToLinux(root: string, hostPath: string): string | null {
  const r = resolve(root), p = resolve(hostPath);
  if (p === r) return '/';
  if (!p.startsWith(r.endsWith(sep) ? r : r + sep)) return null;
  return '/' + p.slice(r.length).split(sep).filter(Boolean).join('/');
}
