// Resolving a user name to credentials from the distro's own /etc/passwd and /etc/group (as login(1) does),
// read through the VFS so the answer is the guest's, never the host's.
import type { Credentials, Task } from './task.js';
import { openAt } from '../fs/open.js';
import { AT_FDCWD, O, isReg } from '../fs/constants.js';
import { E, LinuxError } from './errno.js';
import { initialCaps } from './capability.js';

export interface UserInfo { creds: Credentials; name: string; home: string; shell: string; }

/**
 * A whole guest file as a byte string (one char per byte), read through the VFS as `t`. With `limit`
 * (the instance reading a distro's config), only a regular file of at most that many bytes is read:
 * anything else (a FIFO, /dev/zero) is EINVAL, a longer file EFBIG, so no file content can hold a boot up.
 */
export function readGuestFile(t: Task, path: string, limit?: number): string {
  const f = openAt(t, AT_FDCWD, path, O.RDONLY | O.NONBLOCK, 0);
  try {
    if (limit !== undefined && !isReg(f.stat().mode)) throw new LinuxError(E.EINVAL, `${path}: not a regular file`);
    const chunks: Buffer[] = [];
    for (let pos = 0; ;) {
      const buf = Buffer.alloc(65536);
      const n = f.pread(buf, pos);
      if (n <= 0) break;
      chunks.push(buf.subarray(0, n));
      pos += n;
      if (limit !== undefined && pos > limit) throw new LinuxError(E.EFBIG, `${path}: longer than ${limit} bytes`);
    }
    return Buffer.concat(chunks).toString('latin1');
  } finally {
    f.ref();
    f.unref();
  }
}

const fields = (text: string): string[][] => text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));

/** A name or a numeric uid, as `su`/`wsl -u` accept; unknown → ENOENT (the caller reports it). */
export function lookupUser(t: Task, user: string): UserInfo {
  let passwd: string[][] = [];
  try { passwd = fields(readGuestFile(t, '/etc/passwd')); } catch { /* no passwd: only numeric ids work */ }
  const entry = passwd.find((p) => p[0] === user) ?? (/^\d+$/.test(user) ? passwd.find((p) => p[2] === user) : undefined);
  if (!entry && !/^\d+$/.test(user)) throw new LinuxError(E.ENOENT, `no such user: ${user}`);
  const uid = Number(entry ? entry[2] : user);
  const gid = Number(entry ? entry[3] : user);
  const name = entry?.[0] ?? user;
  let groups = [gid];
  try {
    const extra = fields(readGuestFile(t, '/etc/group')).filter((g) => (g[3] ?? '').split(',').includes(name)).map((g) => Number(g[2]));
    groups = [...new Set([gid, ...extra])].sort((a, b) => a - b); // as setgroups(2) keeps them (groups_sort)
  } catch { /* no group file: the primary group only */ }
  return {
    creds: { uid, euid: uid, suid: uid, fsuid: uid, gid, egid: gid, sgid: gid, fsgid: gid, groups, ...initialCaps(uid) },
    name, home: entry?.[5] || '/', shell: entry?.[6] || '/bin/sh',
  };
}
