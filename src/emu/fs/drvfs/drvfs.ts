// DrvFs: a host filesystem mounted under the automount root (/mnt/host on POSIX hosts), as WSL mounts
// Windows drives. It is hostfs with Linux metadata shaped by mount options (drvfs/options.ts): uid/gid
// replace the owners, the masks replace the permission bits (out of 0777), and with `metadata` a Linux
// chmod/chown of a host file is kept by the instance (a MetadataStore keyed by host path) and shown by
// stat instead of changing the host file. Without options the host's own modes and owners show (POSIX).
import { E, err } from '../../kernel/errno.js';
import { S_IFDIR, S_IFLNK, S_IFMT } from '../constants.js';
import type { SetAttr, Stat } from '../stat.js';
import { HostFs } from '../hostfs/hostfs.js';
import type { DrvFsOptions } from './options.js';

/** What a Linux chmod/chown left on one host file (fields never set show the synthesized value). */
export interface HostMetadata { mode?: number; uid?: number; gid?: number; }

/** The instance's store of host files' Linux metadata (the `metadata` option), keyed by host byte path. */
export interface MetadataStore {
  get(hostPath: string): HostMetadata | undefined;
  set(hostPath: string, m: HostMetadata): void;
  /** The path and everything below it are gone. */
  remove(hostPath: string): void;
  /** The path and everything below it now live at `to` (whatever was kept for `to` goes). */
  move(from: string, to: string): void;
}

const key = (hostPath: string): string => hostPath || '/';

export class DrvFs extends HostFs {
  private readonly masked: boolean;

  constructor(hostRoot: string, private readonly opts: DrvFsOptions, private readonly store: MetadataStore | null) {
    super(hostRoot);
    this.masked = opts.umask !== null || opts.fmask !== null || opts.dmask !== null;
  }

  override present(st: Stat, hostPath: string): Stat {
    const o = this.opts, type = st.mode & S_IFMT;
    let perm = st.mode & 0o7777, uid = o.uid ?? st.uid, gid = o.gid ?? st.gid;
    if (this.masked && type !== S_IFLNK) perm = 0o777 & ~(o.umask ?? 0) & ~((type === S_IFDIR ? o.dmask : o.fmask) ?? 0);
    const m = this.store?.get(key(hostPath));
    if (m) {
      if (m.mode !== undefined && type !== S_IFLNK) perm = m.mode & 0o7777;
      uid = m.uid ?? uid;
      gid = m.gid ?? gid;
    }
    return { ...st, mode: type | perm, uid, gid };
  }

  /** Mode and owners go to the store with `metadata`; without it they cannot change where options synthesize them. */
  override hostAttrs(hostPath: string, a: SetAttr): SetAttr {
    if (a.mode === undefined && a.uid === undefined && a.gid === undefined) return a;
    const { mode, uid, gid, ...rest } = a;
    if (this.store) {
      const m = { ...this.store.get(key(hostPath)) };
      if (mode !== undefined) m.mode = mode & 0o7777;
      if (uid !== undefined) m.uid = uid;
      if (gid !== undefined) m.gid = gid;
      this.store.set(key(hostPath), m);
      return rest;
    }
    if (this.masked || this.opts.uid !== null || this.opts.gid !== null) {
      throw err(E.EPERM, 'drvfs: modes and owners come from the mount options (mount with metadata to change them)');
    }
    return a;
  }

  override removed(hostPath: string): void { this.store?.remove(key(hostPath)); }
  override renamed(from: string, to: string): void { this.store?.move(key(from), key(to)); }
}
