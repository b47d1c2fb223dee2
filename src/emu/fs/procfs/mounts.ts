// /proc/<pid>/mounts and mountinfo (fs/proc_namespace.c show_vfsmnt, show_mountinfo): the mount table as
// the process sees it from its root; mounts outside that root are not shown.
import type { Kernel } from '../../kernel/kernel.js';
import type { Dentry } from '../dentry.js';
import { devMajor, devMinor } from '../constants.js';
import { MS, type Mount } from '../mount.js';

/** Spaces, tabs, newlines and backslashes as octal escapes (mangle()). */
const mangle = (s: string): string => s.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);

/** Where a mountpoint is as seen from `root`, or null when outside it. */
function seen(m: Mount, root: Dentry): string | null {
  const r = root.path;
  if (r === '/') return m.path;
  if (m.path === r) return '/';
  return m.path.startsWith(`${r}/`) ? m.path.slice(r.length) : null;
}

/** Per-mount options: rw/ro, nosuid, nodev, noexec, noatime, nodiratime, relatime (show_mnt_opts). */
function mntOpts(m: Mount): string {
  const o = [m.flags & MS.RDONLY ? 'ro' : 'rw'];
  const named: [number, string][] = [[MS.NOSUID, 'nosuid'], [MS.NODEV, 'nodev'], [MS.NOEXEC, 'noexec'],
    [MS.NOATIME, 'noatime'], [MS.NODIRATIME, 'nodiratime'], [MS.RELATIME, 'relatime'], [MS.NOSYMFOLLOW, 'nosymfollow']];
  for (const [bit, name] of named) if (m.flags & bit) o.push(name);
  return o.join(',');
}

const fsOpts = (m: Mount): string => { const o = m.fs.options?.() ?? ''; return o ? `,${o}` : ''; };

const visible = (kernel: Kernel, root: Dentry): [Mount, string][] =>
  kernel.vfs.mounts.all().flatMap((m) => { const at = seen(m, root); return at === null ? [] : [[m, at] as [Mount, string]]; });

/** fstab format: source mountpoint type options 0 0. */
export function mountsText(kernel: Kernel, root: Dentry): string {
  return visible(kernel, root).map(([m, at]) =>
    `${mangle(m.source)} ${mangle(at)} ${m.fs.type} ${mntOpts(m)}${fsOpts(m)} 0 0\n`).join('');
}

/** id parent major:minor root mountpoint options - type source super-options. */
export function mountinfoText(kernel: Kernel, root: Dentry): string {
  return visible(kernel, root).map(([m, at]) => {
    const dev = m.fs.dev;
    const sb = `${m.flags & MS.RDONLY ? 'ro' : 'rw'}${fsOpts(m)}`;
    return `${m.id} ${m.parent?.id ?? m.id} ${devMajor(dev)}:${devMinor(dev)} ${mangle(m.rootPath)} ${mangle(at)} `
      + `${mntOpts(m)} - ${m.fs.type} ${mangle(m.source)} ${sb}\n`;
  }).join('');
}
