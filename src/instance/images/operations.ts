// The distro image operations the daemon serves (install, import, export, unregister, fsck), one at a time.
// A failed install or import removes what it wrote and registers nothing: the user's other distros and the
// registry are never touched by a bad archive.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { ByteChannel } from '../../interop/byte-channel.js';
import type { ImageRequest, Progress, Reply } from '../../interop/protocol/messages.js';
import { DISTRO_NAME, DistroError, type Distros } from '../distros.js';
import { endProcesses, livePids } from '../reaper.js';
import { fsck } from '../../emu/fs/volfs/fsck.js';
import { decompressed } from './compression.js';
import { exportTar } from './exporter.js';
import { importTar } from './importer.js';
import type { ImageSink, ImageSource } from './sink.js';

/** An installed distro's store: created empty, or opened to be read. */
export interface DistroStore extends ImageSink, ImageSource { close(): void; }

export interface ImageContext {
  distros: Distros;
  /** Where installed distros live by default ($PBASH_HOME/distros). */
  distroHome: string;
  /** The package root (rootfs-tools/ is there). */
  packageRoot: string;
  openStore(dir: string, create: boolean): DistroStore;
  log(line: string): void;
}

/**
 * Install, import and unregister change the registry: they run one at a time and launches wait for them.
 * Export only reads one store and runs at once (`pbash export a - | pbash import b DIR -` must not wait on
 * itself).
 */
export async function imageOp(ctx: ImageContext, req: ImageRequest, chan: ByteChannel, progress: (p: Progress) => void): Promise<Reply> {
  try {
    switch (req.op) {
      case 'install': return await ctx.distros.exclusive(() => install(ctx, req.image, req.name, progress));
      case 'import': return await ctx.distros.exclusive(() => importInto(ctx, req.name, req.dir, chan.input(), progress));
      case 'export': return await exportTo(ctx, req.name, req.format, chan, progress);
      case 'unregister': return await ctx.distros.exclusive(() => unregister(ctx, req.name, req.force));
      case 'fsck': return await ctx.distros.exclusive(() => check(ctx, req.name, req.repair === true, req.force === true));
    }
  } catch (e) {
    if (e instanceof DistroError) return { ok: false, error: e.message };
    throw e;
  }
}

function checkNewName(ctx: ImageContext, name: unknown): string {
  if (typeof name !== 'string' || !DISTRO_NAME.test(name)) {
    throw new DistroError(`invalid distribution name ${JSON.stringify(name)} (letters, digits, '.', '_', '-')`);
  }
  if (ctx.distros.has(name)) throw new DistroError(`a distribution named ${name} already exists`);
  return name;
}

async function install(ctx: ImageContext, image: string, name: string, progress: (p: Progress) => void): Promise<Reply> {
  name = checkNewName(ctx, name || image);
  const tarball = await buildImage(ctx, image, progress);
  return importInto(ctx, name, path.join(ctx.distroHome, name), fs.createReadStream(tarball), progress);
}

/** rootfs-tools/build-image.mjs in a child process (cached: instant after the first time). */
function buildImage(ctx: ImageContext, image: string, progress: (p: Progress) => void): Promise<string> {
  if (!/^[a-z]+$/.test(image)) throw new DistroError(`no image named ${JSON.stringify(image)}`);
  const script = path.join(ctx.packageRoot, 'rootfs-tools', 'build-image.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, image], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
      for (const line of b.toString().split('\n').filter(Boolean)) { ctx.log(line); progress({ phase: line, done: 0 }); }
    });
    child.on('error', (e) => reject(new DistroError(`cannot build the ${image} image: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out.trim().split('\n').pop()!);
      else reject(new DistroError(err.trim().split('\n').pop() ?? `building the ${image} image failed`));
    });
  });
}

async function importInto(ctx: ImageContext, name: string, dir: string, input: AsyncIterable<Buffer> | fs.ReadStream, progress: (p: Progress) => void): Promise<Reply> {
  name = checkNewName(ctx, name);
  if (typeof dir !== 'string' || !path.isAbsolute(dir)) throw new DistroError('the install location must be an absolute host path');
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new DistroError(`${dir} exists and is not empty`);
  const made = !fs.existsSync(dir);
  let store: DistroStore | null = null;
  try {
    store = ctx.openStore(dir, true);
    const stream = input instanceof Readable ? input : Readable.from(input);
    const stats = await importTar(decompressed(stream), store, (s) => {
      if (s.members % 200 === 0) progress({ phase: 'importing', done: s.bytes });
    });
    store.close();
    store = null;
    ctx.distros.add(name, dir, 'volfs');
    ctx.log(`imported ${name} into ${dir}: ${stats.members} members, ${stats.bytes} bytes`);
    return { ok: true, name, dir, members: stats.members, bytes: stats.bytes };
  } catch (e) {
    store?.close();
    // nothing half-made stays behind: the store goes, the user's directory itself only if we made it
    if (made) fs.rmSync(dir, { recursive: true, force: true });
    else for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    throw e instanceof DistroError ? e : new DistroError(`import failed: ${(e as Error).message}`);
  }
}

async function exportTo(ctx: ImageContext, name: string, format: string, chan: ByteChannel, progress: (p: Progress) => void): Promise<Reply> {
  const d = ctx.distros.get(String(name));
  if (d.kind !== 'volfs') throw new DistroError(`${d.name} is a host directory, not an installed distribution: archive it with tar on the host`);
  if (format !== 'tar' && format !== 'tar.gz') throw new DistroError(`unknown format ${JSON.stringify(format)} (tar or tar.gz)`);
  const store = ctx.openStore(d.root, false);
  try {
    let sink = (b: Buffer): Promise<void> => chan.write(b);
    let gz: zlib.Gzip | null = null;
    const pumped: Promise<void>[] = [];
    if (format === 'tar.gz') {
      const z = gz = zlib.createGzip();
      pumped.push((async () => { for await (const b of z) await chan.write(b as Buffer); })());
      sink = (b) => new Promise<void>((res) => { if (z.write(b)) res(); else z.once('drain', () => res()); });
    }
    const stats = await exportTar(store, sink, (s) => { if (s.members % 200 === 0) progress({ phase: 'exporting', done: s.bytes }); });
    gz?.end();
    await Promise.all(pumped);
    chan.end();
    return { ok: true, name: d.name, members: stats.members, bytes: stats.bytes };
  } finally {
    store.close();
  }
}

/** A distro's kernel ended (with force, its processes first) and its filesystems closed; else a clear refusal. */
async function stopDistro(ctx: ImageContext, name: string, force: boolean, why: string): Promise<void> {
  const k = ctx.distros.runningKernel(name);
  if (!k) return;
  if (livePids(k).length > 0) {
    if (!force) throw new DistroError(`${name} is running: end its processes first (pbash terminate ${name}) or use --force`);
    ctx.log(`${why}: ending the processes of ${name}`);
    await endProcesses([k]);
  }
  ctx.distros.drop(name);
}

/** fsck of an installed distro's VolFs store, which is closed for it (e2fsck wants an unmounted filesystem). */
async function check(ctx: ImageContext, name: string, repair: boolean, force: boolean): Promise<Reply> {
  const d = ctx.distros.get(String(name));
  if (d.kind !== 'volfs') throw new DistroError(`${d.name} is a host directory (--root), not a pbash filesystem: nothing to check`);
  await stopDistro(ctx, d.name, force, 'fsck');
  const report = fsck(d.root, { repair });
  ctx.log(`fsck ${d.name}: ${report.problems.length} problem(s), ${report.leftovers.length} leftover(s)${report.clean ? '' : ', not clean'}`);
  return { ok: true, name: d.name, ...report };
}

async function unregister(ctx: ImageContext, name: string, force: boolean): Promise<Reply> {
  const d = ctx.distros.get(String(name));
  await stopDistro(ctx, d.name, force, 'unregister');
  ctx.distros.remove(d.name);
  // an installed distro's store is ours to delete; a --root host directory is the user's and stays
  if (d.kind === 'volfs') fs.rmSync(d.root, { recursive: true, force: true });
  ctx.log(`unregistered ${d.name}`);
  return { ok: true, name: d.name, removed: d.kind === 'volfs' ? d.root : null };
}
