#!/usr/bin/env node
// Build (once, cached) the standard rootfs tarballs `pbash install` imports:
//
//   node rootfs-tools/build-image.mjs busybox   Debian's busybox-static and its applet links, in seconds
//   node rootfs-tools/build-image.mjs debian    the bookworm minbase tree of build-rootfs.mjs (debootstrap)
//   options: --force (rebuild), --path (print where the tarball is, no build)
//
// Where: $PBASH_CACHE/images/<name>.tar.gz (PBASH_CACHE defaults to ~/.cache/pbash). Written to a temp file
// and renamed into place, so a tarball that exists is complete. Owners are numeric, xattrs kept; needs root
// (the trees hold root-owned files and device-free /dev directories).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheBase, ensureRootfs, hostStaticBusybox } from './build-rootfs.mjs';

export const IMAGES = ['busybox', 'debian'];

export function imagePath(name) {
  return path.join(cacheBase(), 'images', `${name}.tar.gz`);
}

function tarTree(tree, out, log) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  log(`image: packing ${tree} -> ${out}`);
  const r = spawnSync('tar', ['-C', tree, '--numeric-owner', '--xattrs', '--xattrs-include=*', '--sort=name', '-czf', tmp, '.'],
    { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) { fs.rmSync(tmp, { force: true }); throw new Error(`tar failed: ${r.stderr.trim()}`); }
  fs.renameSync(tmp, out);
}

/** A minimal busybox system: /bin/busybox, one link per applet, the files a login needs. */
function busyboxTree(dir) {
  const bb = hostStaticBusybox();
  if (!bb) throw new Error('no static busybox on the host: apt-get install busybox-static');
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'root', 'home', 'tmp', 'dev', 'proc', 'sys', 'mnt', 'run', 'var/log', 'var/tmp']) {
    fs.mkdirSync(path.join(dir, d), { recursive: true });
  }
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(path.join(dir, 'root'), 0o700);
  fs.chmodSync(path.join(dir, 'tmp'), 0o1777);
  fs.chmodSync(path.join(dir, 'var/tmp'), 0o1777);
  fs.copyFileSync(bb, path.join(dir, 'bin/busybox'));
  fs.chmodSync(path.join(dir, 'bin/busybox'), 0o755);
  const list = spawnSync(bb, ['--list-full'], { encoding: 'utf8' });
  if (list.status !== 0) throw new Error(`${bb} --list-full failed`);
  for (const applet of list.stdout.split('\n').filter(Boolean)) {
    if (applet === 'bin/busybox') continue;
    const at = path.join(dir, applet);
    fs.mkdirSync(path.dirname(at), { recursive: true });
    if (!fs.existsSync(at)) fs.symlinkSync('/bin/busybox', at);
  }
  const files = {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    'etc/group': 'root:x:0:\nnogroup:x:65534:\n',
    'etc/shadow': 'root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n',
    'etc/hostname': 'pbash\n',
    'etc/profile': 'export PATH=/usr/sbin:/usr/bin:/sbin:/bin\nexport PS1=\'\\u@\\h:\\w\\$ \'\n',
  };
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text, { mode: f === 'etc/shadow' ? 0o640 : 0o644 });
}

/** Build the image if missing (or forced); returns the tarball's path. */
export function ensureImage(name, opts = {}) {
  const log = opts.log ?? ((s) => process.stderr.write(s + '\n'));
  if (!IMAGES.includes(name)) throw new Error(`no image named ${name} (known: ${IMAGES.join(', ')})`);
  const out = imagePath(name);
  if (!opts.force && fs.existsSync(out)) return out;
  if (process.getuid?.() !== 0) throw new Error('building an image needs root (owners and modes of the tree)');
  if (name === 'debian') {
    tarTree(ensureRootfs({ log }), out, log);
  } else {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const tree = fs.mkdtempSync(path.join(path.dirname(out), '.build-'));
    try {
      busyboxTree(tree);
      tarTree(tree, out, log);
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  }
  log(`image: ${name} ready (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const argv = process.argv.slice(2);
  const name = argv.find((a) => !a.startsWith('--')) ?? 'debian';
  try {
    console.log(argv.includes('--path') ? imagePath(name) : ensureImage(name, { force: argv.includes('--force') }));
  } catch (e) {
    process.stderr.write(`build-image: ${e instanceof Error ? e.message : e}\n`);
    process.exit(1);
  }
}
