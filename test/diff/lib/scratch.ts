// A case's scratch directory inside the rootfs: guest /tmp/pbash-diff/<test pid>/<case>/w. It is recreated before
// each side runs, so both start from identical trees: same contents, modes and (fixed) timestamps.
// After a run, snapshot() describes the tree (types, modes, owners, sizes, content hashes; no times,
// no inode numbers), so commands that write files (tar x, gzip, sed -i, mkdir) are compared too.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DiffCase, FileSpec } from './cases.js';

/** Per test process: suites of several checkouts running at once on one rootfs never share a case's tree. */
export const SCRATCH_BASE = `/tmp/pbash-diff/${process.pid}`;
/** Every file and directory of a scratch tree gets this mtime/atime: 2001-02-03 04:05:06 UTC. */
export const FIXED_TIME = new Date(Date.UTC(2001, 1, 3, 4, 5, 6));

export function scratchGuestDir(c: DiffCase): string {
  return `${SCRATCH_BASE}/${c.name}/w`;
}

const hostPath = (root: string, guest: string) => path.join(root, guest);

/** rm -rf: a tree a case left deeper than PATH_MAX defeats fs.rmSync (ENAMETOOLONG), not coreutils' rm. */
function removeTree(dir: string): void {
  const r = spawnSync('rm', ['-rf', '--', dir]);
  if (r.status !== 0) throw new Error(`rm -rf ${dir}: ${r.stderr}`);
}

function contents(spec: Exclude<FileSpec, string>): Buffer {
  if (spec.base64 !== undefined) return Buffer.from(spec.base64, 'base64');
  if (spec.repeat) return Buffer.from(spec.repeat.text.repeat(spec.repeat.count));
  return Buffer.from(spec.text ?? '');
}

function fixTimes(p: string): void {
  const st = fs.lstatSync(p);
  if (st.isDirectory()) for (const n of fs.readdirSync(p)) fixTimes(path.join(p, n));
  fs.lutimesSync(p, FIXED_TIME, FIXED_TIME);
}

/** Create the base dir once (so /tmp's own mtime does not move while cases run). */
export function ensureScratchBase(root: string): void {
  fs.mkdirSync(hostPath(root, SCRATCH_BASE), { recursive: true });
}

/** (Re)create the case's scratch tree; returns its guest path. `setup` commands run natively in it. */
export function prepareScratch(root: string, c: DiffCase): string {
  const guest = scratchGuestDir(c);
  const caseDir = path.dirname(hostPath(root, guest));
  const dir = hostPath(root, guest);
  removeTree(caseDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const [rel, spec] of Object.entries(c.files ?? {})) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (rel.endsWith('/') || (typeof spec === 'object' && spec.dir)) {
      fs.mkdirSync(p, { recursive: true });
      if (typeof spec === 'object' && spec.mode) fs.chmodSync(p, parseInt(spec.mode, 8));
    } else if (typeof spec === 'object' && spec.symlink !== undefined) {
      fs.symlinkSync(spec.symlink, p);
    } else {
      fs.writeFileSync(p, typeof spec === 'string' ? spec : contents(spec));
      fs.chmodSync(p, typeof spec === 'object' && spec.mode ? parseInt(spec.mode, 8) : 0o644);
    }
  }
  fixTimes(caseDir); // before setup too, so derived archives record the fixed times
  for (const argv of c.setup ?? []) {
    const r = spawnSync('/usr/sbin/chroot', [root, '/usr/bin/env', '-i', '-C', guest, 'PATH=/usr/bin:/bin', ...argv], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`setup ${JSON.stringify(argv)} failed (${r.status}): ${r.stderr}`);
  }
  fixTimes(caseDir);
  return guest;
}

/** A line per entry under the scratch dir: path, type, mode, owner, size, content hash or link target. */
export function snapshotScratch(root: string, c: DiffCase): string {
  return snapshotTree(hostPath(root, scratchGuestDir(c)));
}

/** A line per entry under host dir `dir` (see snapshotScratch). */
export function snapshotTree(dir: string): string {
  const lines: string[] = [];
  const walk = (rel: string) => {
    const p = path.join(dir, rel);
    let st: fs.Stats;
    try { st = fs.lstatSync(p); } catch { lines.push(`${rel || '.'} (missing)`); return; }
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    const who = `${st.uid}:${st.gid}`;
    const name = rel || '.';
    if (st.isDirectory()) {
      lines.push(`${name} dir ${mode} ${who}`);
      for (const n of fs.readdirSync(p).sort()) walk(rel ? `${rel}/${n}` : n);
    } else if (st.isSymbolicLink()) {
      lines.push(`${name} symlink -> ${fs.readlinkSync(p)}`);
    } else if (st.isFile()) {
      const hash = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex').slice(0, 16);
      lines.push(`${name} file ${mode} ${who} ${st.size} ${hash}`);
    } else {
      lines.push(`${name} other ${mode} ${who}`);
    }
  };
  walk('');
  return lines.join('\n') + '\n';
}

/** The run's base directory, once every case is done. */
export function removeScratchBase(root: string): void {
  removeTree(hostPath(root, SCRATCH_BASE));
}

export function removeScratch(root: string, c: DiffCase): void {
  removeTree(path.dirname(hostPath(root, scratchGuestDir(c))));
}
