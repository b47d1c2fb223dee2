// The populate and export API: VolWriter entries with full metadata (as a tar importer makes them), seen
// through the kernel and walked back by VolReader; hostile paths refused; fsck repairing a damaged store.
import test from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, makedev } from '../../../../src/emu/fs/constants.js';
import { fsck } from '../../../../src/emu/fs/volfs/fsck.js';
import { VolReader } from '../../../../src/emu/fs/volfs/reader.js';
import { Store } from '../../../../src/emu/fs/volfs/store.js';
import { VolWriter, WriterError } from '../../../../src/emu/fs/volfs/writer.js';
import { lstat, sc, volWorld } from './vol-world.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-volfs-pop-'));
const M = (mode: number, uid = 0, gid = 0, mtimeNs = 1_600_000_000_123_456_789n) => ({ mode, uid, gid, mtimeNs });

async function* chunks(): AsyncGenerator<Uint8Array> { yield Buffer.from('str'); yield Buffer.from('eamed'); }

test('writer entries keep their metadata; the kernel sees them; the reader walks them back with hard links', async (t) => {
  const dir = tmp();
  const w = new VolWriter(dir);
  w.mkdir('', M(0o755));
  w.mkdir('etc', M(0o755, 0, 0));
  await w.file('etc/passwd', { ...M(0o644), xattrs: { 'user.note': Buffer.from('hi') } }, Buffer.from('root:x:0:0::/root:/bin/sh\n'));
  await w.file('usr/bin/tool', M(0o4755, 0, 50), chunks()); // parents made on the way
  w.mkdir('usr', M(0o755, 0, 0, 5n));
  w.hardlink('usr/bin/tool2', 'usr/bin/tool');
  w.symlink('bin', 'usr/bin', M(0o777));
  w.mknod('dev/null', M(S_IFCHR | 0o666), makedev(1, 3));
  w.mknod('dev/sda', M(S_IFBLK | 0o660, 0, 6), makedev(8, 0));
  w.mknod('run/fifo', M(S_IFIFO | 0o600, 1000, 1000));
  await w.file('etc/passwd', M(0o600), Buffer.from('replaced\n')); // tar replaces a file
  t.throws(() => w.symlink('../escape', 'x', M(0o777)), { instanceOf: WriterError });
  t.throws(() => w.mkdir('bin/inside-a-symlink', M(0o755)), { instanceOf: WriterError });
  t.throws(() => w.hardlink('etc/dirlink', 'etc'), { instanceOf: WriterError });
  w.close();

  const vw = volWorld(dir);
  const k = vw.task();
  t.is(await sc.read(k, await sc.open(k, '/bin/tool')), 'streamed'); // through the symlink
  const st = lstat(k, '/usr/bin/tool');
  t.is(st.mode, S_IFREG | 0o4755);
  t.is(st.gid, 50);
  t.is(st.nlink, 2);
  t.is(st.mtimeNs, 1_600_000_000_123_456_789n);
  t.is(lstat(k, '/usr').mtimeNs, 5n);
  t.is(lstat(k, '/dev/null').rdev, makedev(1, 3));
  t.is(await sc.read(k, await sc.open(k, '/etc/passwd')), 'replaced\n');
  t.is(await sc.getxattr(k, '/etc/passwd', 'user.note'), -61); // the replacement has its own (no) xattrs
  t.is(await sc.write(k, await sc.open(k, '/dev/null', 1), 'x'), 1);
  vw.fs.close();

  const r = new VolReader(dir);
  const list = [...r.entries()];
  t.deepEqual(list.map((e) => e.path), ['', 'bin', 'dev', 'dev/null', 'dev/sda', 'etc', 'etc/passwd', 'run', 'run/fifo', 'usr', 'usr/bin', 'usr/bin/tool', 'usr/bin/tool2']);
  const byPath = new Map(list.map((e) => [e.path, e]));
  t.is(byPath.get('usr/bin/tool2')!.linkTo, 'usr/bin/tool');
  t.is(byPath.get('bin')!.target, 'usr/bin');
  t.is(byPath.get('bin')!.mode & S_IFMT, S_IFLNK);
  t.is(byPath.get('dev/sda')!.rdev, makedev(8, 0));
  t.is(byPath.get('run')!.mode & S_IFMT, S_IFDIR);
  let body = '';
  for await (const c of byPath.get('usr/bin/tool')!.contents()) body += c.toString();
  t.is(body, 'streamed');
  r.close();
});

test('fsck repairs link counts, dangling entries, detached directories and stray blobs', (t) => {
  const dir = tmp();
  const w = new VolWriter(dir);
  w.fileSync('a', M(0o644), Buffer.from('a'));
  w.hardlink('b', 'a');
  w.mkdir('d/e', M(0o755));
  w.fileSync('d/e/f', M(0o644), Buffer.from('f'));
  w.close();
  const s = new Store(dir);
  const ino = (p: bigint, n: string) => s.lookup(p, n)!.ino;
  const a = ino(2n, 'a'), d = ino(2n, 'd');
  s.db.prepare('UPDATE inode SET nlink = 7 WHERE ino = ?').run(a);
  s.db.prepare('INSERT INTO dirent (parent, name, ino) VALUES (2, ?, 99999)').run(Buffer.from('ghost'));
  s.db.prepare('DELETE FROM dirent WHERE parent = 2 AND name = ?').run(Buffer.from('d')); // d/e/f now unreachable
  s.close();
  fs.mkdirSync(path.join(dir, 'blobs', '9f'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'blobs', '9f', '99999'), 'stray');
  const r = fsck(dir);
  t.true(r.problems.some((p) => /link count 7, expected 2/.test(p)), r.problems.join('\n'));
  t.true(r.problems.some((p) => /missing inode 99999/.test(p)));
  t.true(r.problems.some((p) => new RegExp(`directory ${d}`).test(p) || /no name/.test(p)));
  t.true(r.leftovers.some((p) => /blob 99999/.test(p)));
  t.deepEqual(fsck(dir).problems, [], 'a second run finds nothing');
  const vw = volWorld(dir);
  const k = vw.task();
  t.is(lstat(k, '/a').nlink, 2);
  t.is(lstat(k, '/').nlink, 2);
  vw.fs.close();
});
