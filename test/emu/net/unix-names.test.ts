// Bound AF_UNIX names on each root filesystem (hostfs, VolFs): the socket inode bind makes is found again by
// connect through its name, a new name given by rename or link, and no longer once every name is unlinked.
import test from 'ava';
import { E, LinuxError } from '../../../src/emu/kernel/errno.js';
import { S_IFMT, S_IFSOCK } from '../../../src/emu/fs/constants.js';
import { UnixNames } from '../../../src/emu/net/unix-names.js';
import { SocketList } from '../../../src/emu/net/socket-list.js';
import type { UnixSocket } from '../../../src/emu/net/unix-socket.js';
import { socketSyscalls } from '../../../src/emu/syscalls/socket.js';
import { world } from '../fs/fake-task.js';
import { lstat, sc, type T } from '../fs/volfs/vol-world.js';

const defs = new Map(socketSyscalls.map((d) => [d.name, d]));
const AF_UNIX = 1, SOCK_STREAM = 1;

/** A socket syscall as dispatch would call it: the result, or -errno. */
async function call(t: T, name: string, ...args: number[]): Promise<number> {
  try {
    return Number(await defs.get(name)!.handler!(t, ...args));
  } catch (e) {
    if (e instanceof LinuxError) return -e.errno;
    throw e;
  }
}

/** A sockaddr_un for `path` in guest memory: [address, length]. */
function sun(t: T, path: string): [number, number] {
  const b = Buffer.alloc(2 + path.length + 1);
  b[0] = AF_UNIX;
  b.write(path, 2, 'latin1');
  const a = t.mem.alloc(b.length);
  t.mem.write(a, b);
  return [a, b.length];
}

for (const root of ['hostfs', 'volfs'] as const) {
  test(`${root}: bind makes a socket inode; connect finds the listener by any of its names`, async (t) => {
    const w = world(undefined, root);
    Object.assign(w.kernel, { unixNames: new UnixNames(), unixSockets: new SocketList<UnixSocket>((s) => s.dead) });
    const k = w.task();
    const connect = async (path: string): Promise<number> => call(k, 'connect', await call(k, 'socket', AF_UNIX, SOCK_STREAM, 0), ...sun(k, path));
    await sc.mkdir(k, '/run');
    const s = await call(k, 'socket', AF_UNIX, SOCK_STREAM, 0);
    t.is(await call(k, 'bind', s, ...sun(k, '/run/s.sock')), 0);
    t.is(lstat(k, '/run/s.sock').mode & S_IFMT, S_IFSOCK);
    t.is(lstat(k, '/run/s.sock').mode & 0o777, 0o755); // 0777 under the task's umask 022
    t.is(await call(k, 'listen', s, 8), 0);
    const c = await call(k, 'socket', AF_UNIX, SOCK_STREAM, 0);
    t.is(await call(k, 'connect', c, ...sun(k, '/run/s.sock')), 0);
    const n = await call(k, 'accept', s, 0, 0);
    t.true(n >= 0);
    t.is(await sc.write(k, c, 'hi'), 2);
    t.is(await sc.read(k, n), 'hi');
    t.is(await sc.rename(k, '/run/s.sock', '/run/moved.sock'), 0);
    t.is(await sc.link(k, '/run/moved.sock', '/run/linked.sock'), 0);
    t.is(await connect('/run/moved.sock'), 0);
    t.is(await connect('/run/linked.sock'), 0);
    t.is(await connect('/run/s.sock'), -E.ENOENT);
    t.is(await sc.unlink(k, '/run/moved.sock'), 0);
    t.is(await sc.unlink(k, '/run/linked.sock'), 0);
    t.is(await connect('/run/moved.sock'), -E.ENOENT);
    t.is(await call(k, 'bind', await call(k, 'socket', AF_UNIX, SOCK_STREAM, 0), ...sun(k, '/run/s2.sock')), 0);
    t.is(await connect('/run/s2.sock'), -E.ECONNREFUSED); // bound, not listening
  });
}
