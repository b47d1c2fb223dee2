// tmpfs semantics through the syscall handlers (a kernel with the real VFS, fake tasks): modes and owners,
// hard links and link counts, symlinks, FIFOs and device nodes, sparse files, rename flags, size= limits.
import test from 'ava';
import { E } from '../../../src/emu/kernel/errno.js';
import { AT_FDCWD, O, RENAME_EXCHANGE, RENAME_NOREPLACE, S_IFCHR, S_IFIFO, S_IFMT, makedev } from '../../../src/emu/fs/constants.js';
import { TmpFs, parseTmpfsOptions } from '../../../src/emu/fs/tmpfs/tmpfs.js';
import { call, rootCreds, world } from './fake-task.js';
import { initialCaps } from '../../../src/emu/kernel/capability.js';

const w = world();
type T = ReturnType<typeof w.task>;
let n = 0;
/** A fresh tmpfs mounted at a new directory name under /dev/shm's parent (a path the root fs need not have). */
function mount(opts = ''): string {
  const at = `/mnt-tmp${n++}`;
  w.kernel.vfs.mount(at, new TmpFs(parseTmpfsOptions(opts)), { source: 'tmpfs' });
  return at;
}
const s = (k: T, p: string) => k.mem.str(p);
const open = (k: T, p: string, flags = O.RDONLY, mode = 0o644) => call(k, 'openat', AT_FDCWD, s(k, p), flags, mode);
async function stat(k: T, p: string, nofollow = false): Promise<{ mode: number; nlink: number; uid: number; gid: number; size: number; blocks: number; rdev: number }> {
  const b = k.mem.alloc(144);
  const r = await call(k, nofollow ? 'lstat' : 'stat', s(k, p), b);
  if (r < 0) throw new Error(`stat ${p}: ${r}`);
  return { nlink: k.mem.readU32(b + 16), mode: k.mem.readU32(b + 24), uid: k.mem.readU32(b + 28), gid: k.mem.readU32(b + 32),
    rdev: Number(k.mem.readU64(b + 40)), size: Number(k.mem.readU64(b + 48)), blocks: Number(k.mem.readU64(b + 64)) };
}
async function write(k: T, fd: number, text: string, pos?: number): Promise<number> {
  const b = k.mem.str(text);
  return pos === undefined ? call(k, 'write', fd, b, text.length) : call(k, 'pwrite64', fd, b, text.length, pos);
}
async function read(k: T, fd: number, len: number, pos: number): Promise<Uint8Array> {
  const b = k.mem.alloc(len);
  const r = await call(k, 'pread64', fd, b, len, pos);
  return k.mem.read(b, Math.max(0, r));
}

test('files, directories, modes under the umask, owners from the creator, link counts', async (t) => {
  const k = w.task();
  const m = mount('mode=755,uid=7,gid=8');
  const root = await stat(k, m);
  t.deepEqual([root.mode & 0o7777, root.uid, root.gid], [0o755, 7, 8]);
  t.is(await call(k, 'mkdir', s(k, `${m}/d`), 0o777), 0);
  t.is((await stat(k, `${m}/d`)).mode & 0o7777, 0o755, 'umask 022');
  t.is((await stat(k, m)).nlink, 3, 'a subdirectory adds a link to its parent');
  const fd = await open(k, `${m}/d/f`, O.CREAT | O.RDWR, 0o640);
  t.is(await write(k, fd, 'hello'), 5);
  t.is(await call(k, 'link', s(k, `${m}/d/f`), s(k, `${m}/g`)), 0);
  t.is((await stat(k, `${m}/g`)).nlink, 2);
  t.is(await call(k, 'unlink', s(k, `${m}/d/f`)), 0);
  t.deepEqual([...await read(k, fd, 5, 0)], [...Buffer.from('hello')], 'the open file outlives its first name');
  t.is(await call(k, 'rmdir', s(k, m + '/d')), 0);
  t.is(await call(k, 'rmdir', s(k, m)), -E.EBUSY);
  t.is(await call(k, 'symlink', s(k, 'g'), s(k, `${m}/l`)), 0);
  t.is((await stat(k, `${m}/l`, true)).size, 1);
  t.deepEqual([...await read(k, await open(k, `${m}/l`), 5, 0)], [...Buffer.from('hello')]);
  const user = w.task({ ...rootCreds(), uid: 1000, euid: 1000, fsuid: 1000, suid: 1000, gid: 1000, egid: 1000, sgid: 1000, fsgid: 1000, groups: [], ...initialCaps(1000) });
  t.is(await open(user, `${m}/g`, O.WRONLY), -E.EACCES);
});

test('sparse files: holes read as zeros and take no blocks; SEEK_DATA and SEEK_HOLE find them', async (t) => {
  const k = w.task();
  const m = mount();
  const fd = await open(k, `${m}/sparse`, O.CREAT | O.RDWR);
  t.is(await write(k, fd, 'x', 1 << 20), 1);
  const st = await stat(k, `${m}/sparse`);
  t.is(st.size, (1 << 20) + 1);
  t.is(st.blocks, 8, 'one 4 KiB page');
  t.true((await read(k, fd, 16, 4096)).every((b) => b === 0));
  t.is(await call(k, 'lseek', fd, 0, 3 /* SEEK_DATA */), 1 << 20);
  t.is(await call(k, 'lseek', fd, 0, 4 /* SEEK_HOLE */), 0);
});

test('size= limits: ENOSPC past the limit, nothing written by the refused write; statfs counts pages', async (t) => {
  const k = w.task();
  const m = mount('size=16k,nr_inodes=3');
  const fd = await open(k, `${m}/a`, O.CREAT | O.RDWR);
  t.is(await write(k, fd, 'y'.repeat(12288)), 12288);
  t.is(await write(k, fd, 'z'.repeat(8192)), -E.ENOSPC);
  t.is((await stat(k, `${m}/a`)).size, 12288);
  const b = k.mem.alloc(120);
  t.is(await call(k, 'statfs', s(k, m), b), 0);
  t.deepEqual([k.mem.readU64(b + 16), k.mem.readU64(b + 24)], [4, 1], "f_blocks, f_bfree");
  t.true(await open(k, `${m}/b`, O.CREAT | O.RDWR) >= 0, 'root, a, b: the third inode');
  t.is(await open(k, `${m}/c`, O.CREAT | O.RDWR), -E.ENOSPC, 'nr_inodes');
});

test('rename: replace, RENAME_NOREPLACE, RENAME_EXCHANGE, a directory over an empty one only', async (t) => {
  const k = w.task();
  const m = mount();
  for (const f of ['a', 'b']) await call(k, 'close', await open(k, `${m}/${f}`, O.CREAT | O.WRONLY));
  await call(k, 'mkdir', s(k, `${m}/d`), 0o755);
  await call(k, 'mkdir', s(k, `${m}/e`), 0o755);
  await call(k, 'mkdir', s(k, `${m}/e/x`), 0o755);
  const ren = (a: string, b: string, flags = 0) => call(k, 'renameat2', AT_FDCWD, s(k, `${m}/${a}`), AT_FDCWD, s(k, `${m}/${b}`), flags);
  t.is(await ren('a', 'b', RENAME_NOREPLACE), -E.EEXIST);
  t.is(await ren('a', 'd', RENAME_EXCHANGE), 0);
  t.is((await stat(k, `${m}/a`)).mode & S_IFMT, 0o040000);
  t.is(await ren('a', 'e'), -E.ENOTEMPTY);
  t.is(await ren('e/x', 'a'), 0, 'a directory over an empty directory');
  t.is((await stat(k, `${m}/e`)).nlink, 2);
  t.is(await ren('d', 'b'), 0);
  t.is(await stat(k, `${m}/d`).catch(() => 'gone'), 'gone');
});

test('mknod: FIFOs open as pipes, character devices by number; sockets ENXIO', async (t) => {
  const k = w.task();
  const m = mount();
  t.is(await call(k, 'mknod', s(k, `${m}/p`), S_IFIFO | 0o600, 0), 0);
  t.is(await call(k, 'mknod', s(k, `${m}/null`), S_IFCHR | 0o666, makedev(1, 3)), 0);
  t.is((await stat(k, `${m}/null`)).rdev, makedev(1, 3));
  t.is(await open(k, `${m}/p`, O.WRONLY | O.NONBLOCK), -E.ENXIO, 'no reader yet');
  const r = await open(k, `${m}/p`, O.RDONLY | O.NONBLOCK);
  const wr = await open(k, `${m}/p`, O.WRONLY);
  t.is(await write(k, wr, 'via fifo'), 8);
  const b = k.mem.alloc(16);
  t.is(await call(k, 'read', r, b, 16), 8);
  const nul = await open(k, `${m}/null`, O.RDWR);
  t.is(await write(k, nul, 'gone'), 4);
  t.is(await call(k, 'mknod', s(k, `${m}/sock`), 0o140000 | 0o600, 0), 0);
  t.is(await open(k, `${m}/sock`), -E.ENXIO);
});
