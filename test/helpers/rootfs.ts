// The Debian bookworm minbase rootfs the tests run against: built once by rootfs-tools/build-rootfs.mjs
// into $PBASH_CACHE/rootfs/bookworm (default ~/.cache/pbash), cached across runs.
//
//   const root = await getRootfs();        // builds it if missing (needs root; takes minutes once)
//   const why = rootfsUnavailableReason(); // a reason to skip, or null
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './pbash.js';

const builder = path.join(repoRoot, 'rootfs-tools', 'build-rootfs.mjs');

export function cacheBase(): string {
  return process.env.PBASH_CACHE || path.join(os.homedir(), '.cache', 'pbash');
}

export function rootfsPath(): string {
  return path.join(cacheBase(), 'rootfs', 'bookworm');
}

function stampPath(): string {
  return path.join(cacheBase(), 'rootfs', 'bookworm.stamp.json');
}

/** Null when the rootfs exists or can be built here; otherwise why not (for test.skip titles). */
export function rootfsUnavailableReason(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'needs a Linux x86-64 host for native runs';
  if (fs.existsSync(stampPath())) return null;
  if (process.getuid?.() !== 0) return 'the rootfs is not built and building it needs root';
  if (!fs.existsSync('/usr/sbin/debootstrap')) return 'the rootfs is not built and debootstrap is not installed';
  return null;
}

let pending: Promise<string> | undefined;

/** The rootfs path, building it first if needed (the builder is idempotent and locks against parallel workers). */
export function getRootfs(): Promise<string> {
  pending ??= new Promise<string>((resolve, reject) => {
    // Always ask the builder: it returns at once when the tree is current, and applies updated extras otherwise.
    const child = spawn(process.execPath, [builder], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out.trim().split('\n').pop()!);
      else reject(new Error(`rootfs-tools/build-rootfs.mjs exited with ${code}`));
    });
  });
  return pending;
}
