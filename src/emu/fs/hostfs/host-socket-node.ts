// A real socket inode (S_IFSOCK) in a host directory, the hostfs side of mknod(S_IFSOCK) and AF_UNIX bind(2).
// Node has no mknod, but binding a host listening socket makes one synchronously: bind a temporary name,
// hard-link it to the wanted name (link(2) refuses an existing name: EEXIST), unlink the temporary name and
// close the host socket. Nothing ever listens on the host inode; the kernel's AF_UNIX registry keys its own
// sockets by the inode's (dev, ino), so `ls -l` shows `s` and the name survives as on Linux.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { E, err } from '../../kernel/errno.js';
import { host, hp } from './host-stat.js';

let serial = 0;
/** sun_path on hosts (108 bytes on Linux, 104 on BSDs): longer directories go through /proc/self/fd. */
const HOST_SUN_PATH = 100;

/** Create the socket inode `dir`/`name` (both latin1 byte strings, `dir` walked by hostfs) with `mode`. */
export function makeHostSocketNode(dir: string, name: string, mode: number): void {
  const tmpName = `.pbash-sock-${process.pid}-${serial++}`;
  const tmp = hp(`${dir}/${tmpName}`);
  let dirFd: number | null = null;
  let bindPath = `${dir}/${tmpName}`;
  if (Buffer.byteLength(bindPath) >= HOST_SUN_PATH || /[^\x20-\x7e]/.test(dir)) {
    if (process.platform !== 'linux') throw err(E.ENAMETOOLONG, 'hostfs: socket path too long for the host');
    dirFd = host(() => fs.openSync(hp(dir || '/'), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW));
    bindPath = `/proc/self/fd/${dirFd}/${tmpName}`;
  }
  const server = net.createServer();
  server.on('error', () => { /* reported below through lstat: the bind is synchronous */ });
  try {
    server.listen(bindPath);
    if (!fs.lstatSync(tmp, { throwIfNoEntry: false })?.isSocket()) throw err(E.EIO, 'hostfs: could not create a socket node');
    try {
      host(() => fs.chmodSync(tmp, mode & 0o7777)); // the host's umask must not change the guest's mode
      host(() => fs.linkSync(tmp, hp(`${dir}/${name}`)));
    } finally { fs.unlinkSync(tmp); }
  } finally {
    server.close();
    if (dirFd !== null) fs.closeSync(dirFd);
  }
}
