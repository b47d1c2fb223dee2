#!/usr/bin/env node
// `npm run setup`: everything a fresh Debian machine needs before `bin/pbash --root ... -c '...'` and
// `npm test` work. Each step is skipped when already done, so running it again is cheap.
//
//   1. host tools: gcc (static libc), busybox-static, debootstrap, qemu-user, and python3/make/g++ for
//      node-gyp; installed with apt-get when missing and we are root, otherwise listed and we stop
//   2. npm ci, when node_modules is missing
//   3. npm run build (Unicorn fetch + N-API addon + tsc)
//   4. the Debian bookworm rootfs in $PBASH_CACHE/rootfs/bookworm (default ~/.cache/pbash)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRootfs, hostStaticBusybox } from './build-rootfs.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (s) => process.stdout.write(`setup: ${s}\n`);
const die = (s) => { process.stderr.write(`setup: ${s}\n`); process.exit(1); };

const onPath = (cmd) => (process.env.PATH ?? '/usr/bin:/bin').split(':').some((d) => fs.existsSync(path.join(d, cmd)));

/** What each needed host package provides, as a check that does not depend on dpkg. */
const HOST_NEEDS = [
  { pkg: 'gcc', ok: () => onPath('gcc') },
  { pkg: 'libc6-dev', ok: () => fs.existsSync('/usr/lib/x86_64-linux-gnu/libc.a') || process.arch !== 'x64' },
  { pkg: 'busybox-static', ok: () => hostStaticBusybox() !== null },
  { pkg: 'debootstrap', ok: () => fs.existsSync('/usr/sbin/debootstrap') },
  { pkg: 'qemu-user', ok: () => onPath('qemu-x86_64') },
  { pkg: 'python3', ok: () => onPath('python3') },
  { pkg: 'make', ok: () => onPath('make') },
  { pkg: 'g++', ok: () => onPath('g++') },
];

function run(cmd, args, opts = {}) {
  say(`$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: repo, ...opts });
  if (r.status !== 0) die(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

// 1. host packages
const missing = HOST_NEEDS.filter((n) => !n.ok()).map((n) => n.pkg);
if (missing.length === 0) {
  say('host tools present (gcc, busybox-static, debootstrap, qemu-user, node-gyp toolchain)');
} else if (process.getuid?.() === 0 && onPath('apt-get')) {
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
} else {
  die(`missing host packages: ${missing.join(' ')} (run as root, or: sudo apt-get install ${missing.join(' ')})`);
}

// 2. npm dependencies
if (!fs.existsSync(path.join(repo, 'node_modules', '.package-lock.json'))) run('npm', ['ci']);
else say('node_modules present');

// 3. build
run('npm', ['run', 'build']);

// 4. rootfs
if (process.getuid?.() !== 0) die('building the rootfs needs root (debootstrap, chroot)');
const root = ensureRootfs({ log: say });
say(`rootfs: ${root}`);
say(`done. Try: bin/pbash --standalone --root ${root} -e /bin/ls -l /`);
