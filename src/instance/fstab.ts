// [automount] mountFsTab: the distro's /etc/fstab mounted at boot, as WSL's init runs `mount -a`. Each
// entry goes through the kernel's mount(2) as root (tmpfs, proc, sysfs, bind mounts); type `drvfs` mounts
// a host directory (its spec) with DrvFs options. Entries with `noauto`, swap, targets already mounted
// and comment lines are skipped; an entry that cannot be mounted (another filesystem type, a missing
// mountpoint) is a problem for the config warning, and the others are still mounted.
import type { Kernel } from '../emu/kernel/kernel.js';
import { rootCaller } from '../emu/kernel/spawn.js';
import { LinuxError, strerror } from '../emu/kernel/errno.js';
import { doMount } from '../emu/fs/mount-ops.js';
import { MS } from '../emu/fs/mount.js';
import { mountHost } from '../emu/fs/setup.js';
import { parseDrvFsOptions } from '../emu/fs/drvfs/options.js';
import type { MetadataStore } from '../emu/fs/drvfs/drvfs.js';

/** mount(8)'s generic options as mount(2) flags; the rest is the filesystem's data string. */
const FLAGS: Record<string, [set: number, clear: number]> = {
  ro: [MS.RDONLY, 0], rw: [0, MS.RDONLY], nosuid: [MS.NOSUID, 0], suid: [0, MS.NOSUID], nodev: [MS.NODEV, 0],
  dev: [0, MS.NODEV], noexec: [MS.NOEXEC, 0], exec: [0, MS.NOEXEC], noatime: [MS.NOATIME, 0], relatime: [MS.RELATIME, 0],
  strictatime: [MS.STRICTATIME, 0], nodiratime: [MS.NODIRATIME, 0], bind: [MS.BIND, 0], rbind: [MS.BIND | MS.REC, 0],
  defaults: [0, 0], auto: [0, 0], nofail: [0, 0], user: [0, 0], nouser: [0, 0],
};

/** fstab's octal escapes (\040 for a space). */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function mountFsTab(kernel: Kernel, text: string, metadata: () => MetadataStore, problems: string[]): void {
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [spec, file, type, opts = 'defaults'] = line.split(/\s+/).map(unescape);
    const at = `/etc/fstab line ${i + 1}`;
    if (!spec || !file || !type) { problems.push(`${at}: not an fstab entry`); return; }
    const options = opts.split(',');
    if (options.includes('noauto') || type === 'swap' || file === 'none' || kernel.vfs.mounts.at(file)) return;
    let flags = 0;
    const data: string[] = [];
    for (const o of options) {
      const f = FLAGS[o];
      if (f) flags = (flags | f[0]) & ~f[1]; else data.push(o);
    }
    try {
      const t = rootCaller(kernel);
      const target = kernel.vfs.lookup(t, file);
      if (type === 'drvfs') {
        const { options: drv, problems: bad } = parseDrvFsOptions(data.join(','));
        problems.push(...bad.map((b) => `${at}: ${b}`));
        mountHost(kernel.vfs, { path: target.path, hostDir: spec, options: drv, metadata: drv.metadata ? metadata() : undefined });
        return;
      }
      doMount(t, { source: spec, target, fstype: type, flags, data: data.join(',') });
    } catch (e) {
      if (e instanceof LinuxError) problems.push(`${at}: ${file}: ${strerror(e.errno)}`);
      else if (e instanceof Error) problems.push(`${at}: ${file}: ${e.message}`);
      else throw e;
    }
  });
}
