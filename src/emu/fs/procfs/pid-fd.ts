// /proc/<pid>/fd/ and fdinfo/ (fs/proc/fd.c): one magic link per open fd, named by the file's path as the
// reader sees it or pipe:[ino], socket:[ino], anon_inode:[kind]; fdinfo gives position, flags, mount id, inode.
import type { Kernel } from '../../kernel/kernel.js';
import type { KTask } from '../../kernel/thread.js';
import { O, isReg } from '../constants.js';
import type { OpenFile } from '../file.js';
import { type Children, SynthFile, type SynthFs, SynthLink } from '../synth.js';
import { checkInspect } from './tasks.js';

export type InoOf = (slot: number, sub: number) => number;

export function fdEntries(fs: SynthFs, kernel: Kernel, owner: KTask, ino: InoOf): Children {
  const vfs = kernel.vfs;
  const m: Children = new Map();
  const ids = { uid: owner.creds.euid, gid: owner.creds.egid };
  for (const [fd, f] of owner.files.entries()) {
    m.set(String(fd), new SynthLink(fs, ino(1, fd), (t) => {
      checkInspect(t.creds, owner.creds);
      if (!f.dentry) return f.anonName();
      const st = f.stat();
      return vfs.linkText(t, f.dentry, f.dentry.node.isDir ? f.dentry.node.removed : isReg(st.mode) && st.nlink === 0);
    }, (t) => { checkInspect(t.creds, owner.creds); return vfs.fdTarget(f); }, ids, linkPerm(f)));
  }
  return m;
}

/** An fd link's mode shows its access (tid_fd_update_inode): r-x for reading, -wx for writing, owner only. */
function linkPerm(f: OpenFile): number {
  return (f.readable ? 0o500 : 0) | (f.writable ? 0o300 : 0);
}

export function fdinfoEntries(fs: SynthFs, kernel: Kernel, owner: KTask, ino: InoOf): Children {
  const m: Children = new Map();
  for (const [fd, f] of owner.files.entries()) {
    m.set(String(fd), new SynthFile(fs, ino(2, fd), () => {
      const d = kernel.vfs.dentryOf(f);
      const flags = f.flags | (owner.files.getCloexec(fd) ? O.CLOEXEC : 0);
      return `pos:\t${f.pos}\nflags:\t0${flags.toString(8)}\nmnt_id:\t${d.mount.id}\nino:\t${f.stat().ino}\n${f.fdinfo()}`;
    }, 0o444, { check: (t) => checkInspect(t.creds, owner.creds) }));
  }
  return m;
}
