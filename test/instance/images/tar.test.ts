// The tar reader and writer against GNU tar (the oracle): archives GNU tar writes from a real tree read back
// as that tree's lstat says, and archives we write extract with GNU tar into an identical tree.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTar } from '../../../src/instance/images/tar-reader.js';
import { TarWriter } from '../../../src/instance/images/tar-writer.js';
import { TarError, type TarEntry } from '../../../src/instance/images/tar-format.js';
import { CompressionError, decompressed } from '../../../src/instance/images/compression.js';
import { importTar } from '../../../src/instance/images/importer.js';
import { exportTar } from '../../../src/instance/images/exporter.js';
import { MemTree } from './mem-tree.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-tar-'));
test.after.always(() => fs.rmSync(tmp, { recursive: true, force: true }));

const latin = (s: string): Buffer => Buffer.from(s, 'latin1');
const xattrOf = (p: string): Record<string, string> => JSON.parse(execFileSync('python3', ['-c',
  'import os,sys,json; p=bytes.fromhex(sys.argv[1]); print(json.dumps({k: os.getxattr(p,k,follow_symlinks=False).hex() for k in os.listxattr(p,follow_symlinks=False)}))',
  latin(p).toString('hex')]).toString());

/** A tree exercising what tar must carry: long names, odd bytes, modes, owners, links, devices, xattrs, ns mtimes. */
function makeTree(dir: string): void {
  fs.mkdirSync(dir);
  const long = path.join(dir, 'd'.repeat(90), 'e'.repeat(90));
  fs.mkdirSync(long, { recursive: true });
  fs.writeFileSync(path.join(long, 'f'.repeat(120)), 'long\n');
  fs.writeFileSync(latin(path.join(dir, 'caf\xe9 \x01name')), 'bytes\n');
  fs.writeFileSync(path.join(dir, 'suid'), '#!/bin/sh\n', { mode: 0o755 });
  fs.chmodSync(path.join(dir, 'suid'), 0o4755);
  fs.mkdirSync(path.join(dir, 'sticky'), { mode: 0o1777 });
  fs.chmodSync(path.join(dir, 'sticky'), 0o1777);
  fs.writeFileSync(path.join(dir, 'big-ids'), 'x');
  fs.chownSync(path.join(dir, 'big-ids'), 3_000_000, 70_000);
  fs.writeFileSync(path.join(dir, 'data'), Buffer.alloc(70_000, 7));
  fs.linkSync(path.join(dir, 'data'), path.join(dir, 'hard'));
  fs.symlinkSync('../../etc/passwd', path.join(dir, 'sym'));
  fs.symlinkSync('t'.repeat(150), path.join(dir, 'longsym'));
  execFileSync('mkfifo', [path.join(dir, 'fifo')]);
  execFileSync('mknod', [path.join(dir, 'null'), 'c', '1', '3']);
  execFileSync('mknod', [path.join(dir, 'blk'), 'b', '7', '300']);
  execFileSync('python3', ['-c', 'import os,sys; os.setxattr(sys.argv[1], "user.note", b"hi\\x00there")', path.join(dir, 'data')]);
  fs.utimesSync(path.join(dir, 'suid'), 1_700_000_000.123456, 1_700_000_000.123456);
}

interface Seen { type: string; mode: number; uid: number; gid: number; size: number; mtimeS: bigint; link: string; dev: string; xattrs: Record<string, string> }

/** What the tree holds, by relative name (latin1), from lstat. */
function lstatTree(root: string): Map<string, Seen> {
  const out = new Map<string, Seen>();
  const walk = (rel: string): void => {
    const p = latin(path.join(root, rel));
    const st = fs.lstatSync(p, { bigint: true });
    const type = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? 'char' : 'block';
    const rdev = Number(st.rdev);
    out.set(rel, {
      type, mode: Number(st.mode) & 0o7777, uid: Number(st.uid), gid: Number(st.gid),
      size: type === 'file' ? Number(st.size) : 0, mtimeS: st.mtimeNs / 1_000_000_000n,
      link: type === 'symlink' ? fs.readlinkSync(p, { encoding: 'buffer' }).toString('latin1') : '',
      dev: type === 'char' || type === 'block' ? `${(rdev >> 8) & 0xfff},${(rdev & 0xff) | ((rdev >> 12) & 0xfff00)}` : '',
      xattrs: type === 'symlink' ? {} : xattrOf(p.toString('latin1')),
    });
    if (type === 'dir') for (const n of fs.readdirSync(p, { encoding: 'buffer' })) walk(rel ? `${rel}/${n.toString('latin1')}` : n.toString('latin1'));
  };
  walk('');
  return out;
}

async function readAll(file: string): Promise<Array<{ e: TarEntry; data: Buffer }>> {
  const out: Array<{ e: TarEntry; data: Buffer }> = [];
  await readTar(fs.createReadStream(file), async (e, body) => {
    const parts: Buffer[] = [];
    for await (const b of body) parts.push(b);
    out.push({ e, data: Buffer.concat(parts) });
  });
  return out;
}

const tree = path.join(tmp, 'tree');
makeTree(tree);
const expected = lstatTree(tree);

for (const format of ['pax', 'gnu']) {
  test(`reads GNU tar's ${format} format as the tree's lstat says`, async (t) => {
    const file = path.join(tmp, `gnu-${format}.tar`);
    execFileSync('tar', ['-C', tree, `--format=${format}`, '--xattrs', '--xattrs-include=*', '--numeric-owner', '-cf', file, '.']);
    const got = await readAll(file);
    const firstOf = new Map<string, string>(); // hard links: the first member of an inode carries the data
    for (const { e, data } of got) {
      const want = expected.get(e.name);
      t.truthy(want, `unexpected member ${JSON.stringify(e.name)}`);
      if (!want) continue;
      if (e.type === 'hardlink') { t.is(want.type, 'file'); t.true(firstOf.has(e.linkName), e.name); continue; }
      firstOf.set(e.name, e.name);
      t.is(e.type, want.type, e.name);
      t.is(e.mode, want.mode, e.name);
      t.is(e.uid, want.uid, e.name);
      t.is(e.gid, want.gid, e.name);
      t.is(e.size, want.size, e.name);
      t.is(data.length, want.size, e.name);
      if (format === 'pax') t.is(e.mtimeNs / 1_000_000_000n, want.mtimeS, e.name);
      t.is(e.linkName, want.link, e.name);
      if (want.dev) t.is(`${e.devMajor},${e.devMinor}`, want.dev, e.name);
      if (format === 'pax') t.deepEqual(Object.fromEntries([...e.xattrs].map(([k, v]) => [k, v.toString('hex')])), want.xattrs, e.name);
    }
    t.is(new Set(got.map((g) => g.e.name)).size, expected.size);
  });
}

test('an archive we write extracts with GNU tar into an identical tree (names, modes, owners, links, devices, xattrs, mtimes)', async (t) => {
  const src = path.join(tmp, 'gnu-src.tar');
  execFileSync('tar', ['-C', tree, '--format=pax', '--xattrs', '--xattrs-include=*', '--numeric-owner', '-cf', src, '.']);
  const ours = path.join(tmp, 'ours.tar');
  const fd = fs.openSync(ours, 'w');
  const w = new TarWriter((b) => { fs.writeSync(fd, b); });
  for (const { e, data } of await readAll(src)) await w.add(e, data);
  await w.finish();
  fs.closeSync(fd);
  const out = path.join(tmp, 'extracted');
  fs.mkdirSync(out);
  execFileSync('tar', ['-C', out, '--xattrs', '--xattrs-include=*', '--numeric-owner', '-xpf', ours]);
  const again = lstatTree(out);
  const strip = (m: Map<string, Seen>) => [...m].filter(([n]) => n !== '').sort(([a], [b]) => (a < b ? -1 : 1));
  t.deepEqual(strip(again), strip(expected));
  const ns = (p: string) => fs.lstatSync(p, { bigint: true }).mtimeNs;
  t.is(ns(path.join(out, 'suid')), ns(path.join(tree, 'suid')), 'sub-second mtime kept');
  t.is(fs.statSync(path.join(out, 'data')).ino, fs.statSync(path.join(out, 'hard')).ino, 'hard link kept');
});

async function readBytes(b: Buffer): Promise<TarEntry[]> {
  const names: TarEntry[] = [];
  await readTar([b], async (e, body) => { for await (const _ of body); names.push(e); });
  return names;
}

function gnuArchive(build: (dir: string) => void, args: string[] = []): Buffer {
  const dir = fs.mkdtempSync(path.join(tmp, 'h-'));
  build(dir);
  return execFileSync('tar', ['-C', dir, '--format=gnu', ...args, '-cf', '-', '.'], { maxBuffer: 1 << 26 });
}

test("hostile members: '..' is refused, a leading '/' stays inside", async (t) => {
  const dotdot = gnuArchive((d) => fs.writeFileSync(path.join(d, 'x'), 'x'), ['--transform', 's,^\\./x,../../x,']);
  await t.throwsAsync(readBytes(dotdot), { instanceOf: TarError, message: /\.\./ });
  const abs = gnuArchive((d) => fs.writeFileSync(path.join(d, 'x'), 'x'), ['--transform', 's,^\\./x,/etc/x,', '-P']);
  t.deepEqual((await readBytes(abs)).map((e) => e.name), ['', 'etc/x']);
});

test('corrupt archives end with a TarError, never another exception', async (t) => {
  const good = gnuArchive((d) => { fs.writeFileSync(path.join(d, 'a'), 'a'.repeat(3000)); fs.mkdirSync(path.join(d, 'b')); });
  await t.throwsAsync(readBytes(good.subarray(0, 1500)), { instanceOf: TarError, message: /truncated/ });
  await t.throwsAsync(readBytes(Buffer.from('hello, not a tar file\n'.repeat(40))), { instanceOf: TarError });
  await t.throwsAsync(readBytes(Buffer.alloc(0)), { instanceOf: TarError });
  const huge = gnuArchive((d) => fs.writeFileSync(path.join(d, 'a'), 'a'));
  huge.write('77777777777\0', 512 + 124, 'latin1'); // size of the second member: 8 GiB, then EOF
  const sum = [...huge.subarray(512, 1024)].reduce((a, c, i) => a + (i >= 148 && i < 156 ? 32 : c), 0);
  huge.write(sum.toString(8).padStart(6, '0') + '\0 ', 512 + 148, 'latin1');
  await t.throwsAsync(readBytes(huge), { instanceOf: TarError });
  let seed = 1;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < 300; i++) {
    const b = Buffer.from(good);
    for (let k = 0; k < 8; k++) b[rnd() % 1536] = rnd() & 0xff;
    const e = await readBytes(b).then(() => null, (x: unknown) => x);
    if (e !== null && !(e instanceof TarError)) t.fail(`fuzz case ${i}: ${String(e)}`);
  }
  t.pass();
});

test('gzip, xz and zstd archives are recognised by their magic and read alike', async (t) => {
  const plain = path.join(tmp, 'c.tar');
  execFileSync('tar', ['-C', tree, '--format=pax', '-cf', plain, '.']);
  const names = async (file: string) => {
    const out: string[] = [];
    await readTar(decompressed(fs.createReadStream(file)), async (e) => { out.push(e.name); });
    return out;
  };
  const want = await names(plain);
  for (const [tool, ext] of [['gzip', 'gz'], ['xz', 'xz'], ['zstd', 'zst']]) {
    execFileSync(tool!, ['-kfq', plain]);
    t.deepEqual(await names(`${plain}.${ext}`), want, tool);
  }
  const bad = path.join(tmp, 'bad.tar.xz');
  fs.writeFileSync(bad, Buffer.concat([fs.readFileSync(`${plain}.xz`).subarray(0, 200), Buffer.alloc(100, 1)]));
  await t.throwsAsync(names(bad), { message: /xz|truncated|checksum/ });
});

test('a decompressor failing after the garbage it produced is reported, not the parse error of that garbage', async (t) => {
  const input = (async function* () {
    yield Buffer.alloc(1024, 7); // not a header: the parser fails here first
    yield Buffer.alloc(4096, 7);
    throw new CompressionError('xz could not decompress the archive: corrupt');
  })();
  await t.throwsAsync(readTar(input, async () => {}), { instanceOf: CompressionError });
  const clean = (async function* () { yield Buffer.alloc(1024, 7); })();
  await t.throwsAsync(readTar(clean, async () => {}), { instanceOf: TarError, message: /chksum/ });
});

test('import then export: what GNU tar archived comes back out identical (tree compared with lstat)', async (t) => {
  const src = path.join(tmp, 'imp.tar');
  execFileSync('tar', ['-C', tree, '--format=pax', '--xattrs', '--xattrs-include=*', '--numeric-owner', '-cf', src, '.']);
  const mem = new MemTree();
  const stats = await importTar(fs.createReadStream(src), mem);
  t.true(mem.finished);
  t.is(stats.members, expected.size); // every name, the hard link's second one included
  t.is(mem.names.get('data'), mem.names.get('hard'));
  const ours = path.join(tmp, 'exported.tar');
  const fd = fs.openSync(ours, 'w');
  await exportTar(mem, (b) => { fs.writeSync(fd, b); });
  fs.closeSync(fd);
  const out = path.join(tmp, 'reextracted');
  fs.mkdirSync(out);
  execFileSync('tar', ['-C', out, '--xattrs', '--xattrs-include=*', '--numeric-owner', '-xpf', ours]);
  const strip = (m: Map<string, Seen>) => [...m].filter(([n]) => n !== '').sort(([a], [b]) => (a < b ? -1 : 1));
  t.deepEqual(strip(lstatTree(out)), strip(expected));
  t.is(fs.statSync(path.join(out, 'data')).ino, fs.statSync(path.join(out, 'hard')).ino);
});

test('hostile archives are refused: hard links to nothing or outside, members through a file', async (t) => {
  const mk = (build: (d: string) => void, transform: string) => gnuArchive(build, ['--transform', transform, '--hard-dereference']);
  const dangling = gnuArchive((d) => { fs.writeFileSync(path.join(d, 'a'), 'a'); fs.linkSync(path.join(d, 'a'), path.join(d, 'b')); }, ['--transform', 's,^\\./b$,./nothere,RS']);
  await t.throwsAsync(importTar([dangling], new MemTree()), { instanceOf: TarError, message: /hard link/ });
  const through = mk((d) => { fs.writeFileSync(path.join(d, 'f'), 'f'); fs.mkdirSync(path.join(d, 'g')); fs.writeFileSync(path.join(d, 'g', 'x'), 'x'); }, 's,^\\./g,./f,');
  await t.throwsAsync(importTar([through], new MemTree()), { instanceOf: TarError, message: /not a directory|replaces a directory|directory over a file/ });
});
