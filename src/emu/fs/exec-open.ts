// Opening a file for execve (fs/exec.c do_open_execat): it must exist, be a regular file and be executable.
import { E, err } from '../kernel/errno.js';
import type { Task } from '../kernel/task.js';
import { AT_FDCWD, O, X_OK, isReg } from './constants.js';
import type { OpenFile } from './file.js';
import { mayAccess } from './permission.js';
import { MS } from './mount.js';
import { HostNode } from './hostfs/hostfs.js';
import { BuiltinNode, type BuiltinProgram } from './builtin-fs.js';
import { DrvFs } from './drvfs/drvfs.js';

export interface ExecFile {
  /** Absolute guest path (as the task sees it), every symlink resolved: /proc/self/exe. */
  path: string;
  size: number;
  dev: number;
  ino: bigint;
  /** The host path (a byte string, as guest paths are) of a file on a host drive (DrvFs): a host program. */
  hostPath: string | null;
  /** A kernel builtin program (fs/builtin-fs.ts): the kernel runs it itself (kernel/builtin.ts). */
  builtin: BuiltinProgram | null;
  mode: number;
  uid: number;
  gid: number;
  nosuid: boolean;
  /** Positional read; short only at the end of the file. */
  readAt(buf: Uint8Array, pos: number): number;
}

/**
 * Resolve `path` from the task's cwd and root (or from dirfd with execveat's AT_* flags: a final symlink
 * under AT_SYMLINK_NOFOLLOW is ELOOP) and check it can be executed: ENOENT, EACCES for directories and
 * other non-regular files and without execute permission. The host file is opened on the first readAt and
 * closed at the end of the current turn of the event loop, so probing (PATH search) holds nothing open.
 */
export function openExec(t: Task, path: string, dirfd = AT_FDCWD, atFlags = 0): ExecFile {
  const d = t.kernel.vfs.at(t, dirfd, path, atFlags);
  if (d.node.isSymlink) throw err(E.ELOOP);
  const st = d.node.stat();
  if (!isReg(st.mode) || (d.mount.flags & MS.NOEXEC)) throw err(E.EACCES);
  if (!mayAccess(st, t.creds, X_OK)) throw err(E.EACCES);
  let file: OpenFile | null = null;
  const open = (): OpenFile => {
    if (!file) {
      file = d.node.open(d, O.RDONLY, t).ref();
      setImmediate(() => { file?.unref(); file = null; });
    }
    return file;
  };
  return {
    path: t.kernel.vfs.pathFor(t, d),
    size: st.size,
    dev: st.dev,
    ino: st.ino,
    mode: st.mode, uid: st.uid, gid: st.gid, nosuid: (d.mount.flags & MS.NOSUID) !== 0,
    hostPath: d.node instanceof HostNode && d.node.fs instanceof DrvFs ? d.node.hostPath || '/' : null,
    builtin: d.node instanceof BuiltinNode ? d.node.program : null,
    readAt(buf, pos) {
      let done = 0;
      const f = open();
      while (done < buf.length) {
        const n = f.pread(buf.subarray(done), pos + done);
        if (n <= 0) break;
        done += n;
      }
      return done;
    },
  };
}
