#!/usr/bin/env node
// Build (once, cached) the Debian bookworm minbase root filesystem the tests and benchmarks run against.
//
//   node rootfs-tools/build-rootfs.mjs            build if missing, print the path
//   node rootfs-tools/build-rootfs.mjs --force    rebuild from scratch
//   node rootfs-tools/build-rootfs.mjs --path     print the path only (no build)
//
// Where: $PBASH_CACHE/rootfs/bookworm (PBASH_CACHE defaults to ~/.cache/pbash). The tree is debootstrap'ed
// into a temporary sibling directory and renamed into place only when complete; `bookworm.stamp.json`
// beside it marks completion (a directory without its stamp is a leftover and is rebuilt).
// The mirror comes from the system's own apt sources (see apt-sources.mjs), never from this file.
// Needs root (debootstrap, chroot). A lock file serialises concurrent builders (parallel test workers).
//
// Besides minbase, the tree gets a static busybox (the host's, from Debian's busybox-static) at
// /usr/local/bin/busybox so busybox applets can run both natively and under pbash. Those additions are
// versioned (EXTRAS_VERSION) and re-applied in place when the version changes, without a new debootstrap.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDebianMirror } from './apt-sources.mjs';

export const SUITE = 'bookworm';
export const EXTRAS_VERSION = 1;

/** Packages beyond minbase: procps (ps, top, free, uptime, pgrep, pkill) and psmisc (killall) read /proc. */
const INCLUDE = ['procps', 'psmisc'];

/** Programs the differential tests and the benchmarks need inside the tree (guest paths). */
const REQUIRED = [
  '/bin/sh', '/bin/dash', '/bin/bash', '/usr/bin/env', '/usr/bin/ls', '/usr/bin/cat', '/usr/bin/head', '/usr/bin/tail',
  '/usr/bin/sort', '/usr/bin/uniq', '/usr/bin/wc', '/usr/bin/cut', '/usr/bin/tr', '/usr/bin/od', '/usr/bin/stat',
  '/usr/bin/date', '/usr/bin/seq', '/usr/bin/printf', '/usr/bin/md5sum', '/usr/bin/sha256sum', '/usr/bin/base64',
  '/usr/bin/expr', '/usr/bin/true', '/usr/bin/grep', '/usr/bin/sed', '/usr/bin/mawk', '/usr/bin/find',
  '/usr/bin/tar', '/usr/bin/gzip', '/usr/bin/gunzip', '/usr/bin/id', '/usr/bin/uname', '/usr/local/bin/busybox',
];

export function cacheBase() {
  return process.env.PBASH_CACHE || path.join(os.homedir(), '.cache', 'pbash');
}

export function rootfsPaths() {
  const dir = path.join(cacheBase(), 'rootfs');
  return {
    dir,
    root: path.join(dir, SUITE),
    stamp: path.join(dir, `${SUITE}.stamp.json`),
    lock: path.join(dir, `.${SUITE}.lock`),
    debCache: path.join(dir, '.deb-cache'),
  };
}

function readStamp() {
  const { root, stamp } = rootfsPaths();
  try {
    const s = JSON.parse(fs.readFileSync(stamp, 'utf8'));
    return fs.existsSync(path.join(root, 'usr/bin/env')) ? s : null;
  } catch { return null; }
}

/** True when the tree is built and its extras are current. */
export function isRootfsComplete() {
  const s = readStamp();
  // a tree debootstrapped with another package selection is rebuilt (an older cache lacks procps)
  return !!s && s.extrasVersion === EXTRAS_VERSION && (s.include ?? []).join(',') === INCLUDE.join(',');
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Take the builder lock, waiting while another live process holds it. Returns a release function. */
function lock(log) {
  const { dir, lock: file } = rootfsPaths();
  fs.mkdirSync(dir, { recursive: true });
  let told = false;
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => { try { fs.unlinkSync(file); } catch { /* gone */ } };
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8').trim() || 0);
      if (pid && !alive(pid)) { try { fs.unlinkSync(file); } catch { /* raced */ } continue; }
      if (!told) { log(`rootfs: waiting for another builder (pid ${pid})`); told = true; }
      sleep(1000);
    }
  }
}

/** An ELF without a PT_INTERP program header is static. */
export function isStaticElf(file) {
  const b = fs.readFileSync(file);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) return false;
  const phoff = Number(b.readBigUInt64LE(32)), phentsize = b.readUInt16LE(54), phnum = b.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) if (b.readUInt32LE(phoff + i * phentsize) === 3) return false;
  return true;
}

/** The host's static busybox (Debian's busybox-static installs it as /bin/busybox). */
export function hostStaticBusybox() {
  for (const p of [process.env.PBASH_BUSYBOX, '/bin/busybox', '/usr/bin/busybox'].filter(Boolean)) {
    if (fs.existsSync(p) && isStaticElf(p)) return p;
  }
  return null;
}

/** Additions on top of minbase; idempotent. */
function applyExtras(root, log) {
  const bb = hostStaticBusybox();
  if (!bb) throw new Error('no static busybox on the host: apt-get install busybox-static');
  const dest = path.join(root, 'usr/local/bin/busybox');
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(bb, dest);
  fs.chmodSync(dest, 0o755);
  log(`rootfs: static busybox ${bb} -> /usr/local/bin/busybox`);
  const missing = REQUIRED.filter((p) => !fs.existsSync(path.join(root, p)));
  if (missing.length) throw new Error(`rootfs lacks ${missing.join(', ')}`);
}

function writeStamp(extra) {
  const { stamp } = rootfsPaths();
  const tmp = `${stamp}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify({ suite: SUITE, variant: 'minbase', extrasVersion: EXTRAS_VERSION, ...extra }, null, 2) + '\n');
  fs.renameSync(tmp, stamp);
}

function debootstrap(target, log) {
  const mirror = findDebianMirror();
  if (!mirror) throw new Error('no Debian mirror in /etc/apt/sources.list(.d); set PBASH_DEBIAN_MIRROR');
  if (!fs.existsSync('/usr/sbin/debootstrap')) throw new Error('debootstrap is not installed: apt-get install debootstrap');
  const { debCache } = rootfsPaths();
  fs.mkdirSync(debCache, { recursive: true });
  const args = ['--variant=minbase', `--include=${INCLUDE.join(',')}`, `--cache-dir=${debCache}`, SUITE, target, mirror];
  log(`rootfs: debootstrap ${args.join(' ')} (a few minutes the first time)`);
  const started = Date.now();
  const r = spawnSync('/usr/sbin/debootstrap', args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
    let logTail = '';
    try { logTail = fs.readFileSync(path.join(target, 'debootstrap/debootstrap.log'), 'utf8').split('\n').slice(-15).join('\n'); } catch { /* none */ }
    throw new Error(`debootstrap failed (status ${r.status}):\n${tail}\n${logTail}`);
  }
  log(`rootfs: debootstrap done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return mirror;
}

/**
 * Make sure the rootfs exists and is current; returns its path. Builds it (as root) if needed.
 * @param {{force?: boolean, log?: (s: string) => void}} [opts]
 */
export function ensureRootfs(opts = {}) {
  const log = opts.log ?? ((s) => process.stderr.write(s + '\n'));
  const p = rootfsPaths();
  if (!opts.force && isRootfsComplete()) return p.root;
  if (process.getuid?.() !== 0) throw new Error('building the rootfs needs root (debootstrap and chroot)');
  const release = lock(log);
  try {
    if (!opts.force && isRootfsComplete()) return p.root; // another builder finished while we waited
    const stamp = readStamp();
    if (!opts.force && stamp && (stamp.include ?? []).join(',') === INCLUDE.join(',')) {
      log(`rootfs: updating extras ${stamp.extrasVersion} -> ${EXTRAS_VERSION}`);
      applyExtras(p.root, log);
      writeStamp({ ...stamp, extrasUpdated: new Date().toISOString() });
      return p.root;
    }
    // Clear leftovers: an unstamped tree and old temp dirs of dead builders.
    for (const name of fs.readdirSync(p.dir)) {
      if (name.startsWith(`.${SUITE}.tmp-`) || name.startsWith(`.${SUITE}.old-`)) fs.rmSync(path.join(p.dir, name), { recursive: true, force: true });
    }
    try { fs.unlinkSync(p.stamp); } catch { /* none */ }
    const tmp = path.join(p.dir, `.${SUITE}.tmp-${process.pid}`);
    const mirror = debootstrap(tmp, log);
    applyExtras(tmp, log);
    if (fs.existsSync(p.root)) {
      const old = path.join(p.dir, `.${SUITE}.old-${process.pid}`);
      fs.renameSync(p.root, old);
      fs.renameSync(tmp, p.root);
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, p.root);
    }
    writeStamp({ mirror, include: INCLUDE, built: new Date().toISOString() });
    log(`rootfs: ready at ${p.root}`);
    return p.root;
  } finally {
    release();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const argv = process.argv.slice(2);
  if (argv.includes('--path')) {
    console.log(rootfsPaths().root);
  } else {
    try {
      console.log(ensureRootfs({ force: argv.includes('--force') }));
    } catch (e) {
      process.stderr.write(`build-rootfs: ${e instanceof Error ? e.message : e}\n`);
      process.exit(1);
    }
  }
}
