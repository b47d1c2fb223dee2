// A case with `root: "overlay"` may change the rootfs (useradd edits /etc/passwd, su writes lastlog): each
// side runs on its own overlay of the rootfs (lower: the shared rootfs, never written; upper: a fresh host
// temp dir), in a private mount namespace, with the run's scratch base bind-mounted through so scratch
// files land where snapshotScratch reads them. After the run, the upper dir is every change the run made
// to the rootfs (copied-up files, new files, whiteouts for removals), snapshotted and compared too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DiffCase } from './cases.js';
import { SCRATCH_BASE, snapshotTree } from './scratch.js';

export interface Overlay {
  /** Where the merged root is mounted inside the namespace. */
  merged: string;
  upper: string;
  /** Shell commands (joined by &&) that mount the overlay and the scratch bind. */
  mounts: string;
}

const base = path.join(os.tmpdir(), 'pbash-diff-ovl', String(process.pid));

/** Fresh upper/work/merged dirs for one side of a case. */
export function prepareOverlay(root: string, c: DiffCase, side: string): Overlay {
  const dir = path.join(base, c.name, side);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const d of ['upper', 'work', 'merged']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const merged = path.join(dir, 'merged'), upper = path.join(dir, 'upper');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const mounts = [
    `mount -t overlay overlay -o ${q(`lowerdir=${root},upperdir=${upper},workdir=${path.join(dir, 'work')}`)} ${q(merged)}`,
    `mount --bind ${q(path.join(root, SCRATCH_BASE))} ${q(path.join(merged, SCRATCH_BASE))}`,
  ].join(' && ');
  return { merged, upper, mounts };
}

/**
 * The rootfs changes of the run (the upper dir), as snapshot lines; whiteouts show as `other 0000`. Files
 * under the case's `rootTimes` paths record times (dpkg.log, apt's history and its caches): their contents
 * are left out, their type, mode, owner and size still compared.
 */
export function overlayChanges(o: Overlay, c: DiffCase): string {
  const timed = (name: string) => (c.rootTimes ?? []).some((p) => name === p || name.startsWith(p.endsWith('/') ? p : `${p}/`));
  const lines = snapshotTree(o.upper).split('\n').map((l) => {
    const m = /^(.*) (file \d{4} \d+:\d+ \d+) [0-9a-f]{16}$/.exec(l);
    return m && timed(m[1]!) ? `${m[1]} ${m[2]} (contents record times)` : l;
  });
  return `== rootfs changes ==\n${lines.join('\n')}`;
}

export function removeOverlay(c: DiffCase, side: string): void {
  fs.rmSync(path.join(base, c.name, side), { recursive: true, force: true });
}

/** The run's overlay dirs, once every case is done. */
export function removeOverlayBase(): void {
  fs.rmSync(base, { recursive: true, force: true });
}
