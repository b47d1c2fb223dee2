// fsck for a VolFs store (what e2fsck's passes check, for our layout): the database's own integrity, the
// root directory, entries naming missing inodes or living under non-directories or detached subtrees,
// directories with more than one name, link counts against entries, named-less inodes that claim links,
// blobs of non-regular inodes, xattrs of missing inodes. What a crash leaves by design is reported apart
// (leftovers, always cleaned): inodes unlinked while open (nlink 0, ext4's orphan list) and blobs of inodes
// deleted just before the crash. Run it on a distro that is not mounted (no VolFs open on the directory).
import * as fs from 'node:fs';
import { S_IFDIR, S_IFMT, S_IFREG } from '../constants.js';
import { Blobs } from './blobs.js';
import { ROOT_INO, Store } from './store.js';

export interface FsckReport {
  /** One line per inconsistency found, saying what was done about it. */
  problems: string[];
  /** What a crash leaves by design (orphans of files open at the crash, blobs of just-deleted inodes), cleaned. */
  leftovers: string[];
  /** Whether every problem was repaired (false when `repair` was off or the database itself is damaged). */
  clean: boolean;
}

const isDirMode = (m: bigint | number): boolean => (Number(m) & S_IFMT) === S_IFDIR;

export function fsck(distroDir: string, opts: { repair?: boolean } = {}): FsckReport {
  const repair = opts.repair ?? true;
  const store = new Store(distroDir);
  const blobs = new Blobs(distroDir);
  const problems: string[] = [];
  const leftovers: string[] = [];
  let unrepaired = false;
  const note = (what: string): void => { problems.push(repair ? `${what}: repaired` : what); if (!repair) unrepaired = true; };
  const db = store.db;
  const all = <R>(sql: string, ...args: unknown[]): R[] => db.prepare(sql).safeIntegers(true).all(...args) as R[];
  const run = (sql: string, ...args: unknown[]): void => { if (repair) db.prepare(sql).run(...args); };
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') { problems.push(`database: ${String(integrity)}`); unrepaired = true; }
    const check = (): void => {
      const root = store.get(ROOT_INO);
      if (!root || !isDirMode(root.mode)) note('the root directory is missing or not a directory'); // Store recreates a missing one

      for (const r of all<{ parent: bigint; name: Buffer; ino: bigint }>(
        'SELECT parent, name, ino FROM dirent WHERE ino NOT IN (SELECT ino FROM inode)')) {
        note(`entry ${r.parent}/${r.name.toString('latin1')} names missing inode ${r.ino}`);
        run('DELETE FROM dirent WHERE parent = ? AND name = ?', r.parent, r.name);
      }
      for (const r of all<{ parent: bigint; name: Buffer }>(
        `SELECT d.parent, d.name FROM dirent d LEFT JOIN inode p ON p.ino = d.parent
         WHERE p.ino IS NULL OR (p.mode & ${S_IFMT}) != ${S_IFDIR}`)) {
        note(`entry ${r.parent}/${r.name.toString('latin1')} is in a missing directory or a non-directory`);
        run('DELETE FROM dirent WHERE parent = ? AND name = ?', r.parent, r.name);
      }
      for (const r of all<{ ino: bigint; n: bigint }>(
        `SELECT d.ino, count(*) AS n FROM dirent d JOIN inode i ON i.ino = d.ino
         WHERE (i.mode & ${S_IFMT}) = ${S_IFDIR} GROUP BY d.ino HAVING n > 1`)) {
        note(`directory ${r.ino} has ${r.n} names; all but the first are dropped`);
        const names = all<{ parent: bigint; name: Buffer }>('SELECT parent, name FROM dirent WHERE ino = ? ORDER BY parent, name', r.ino);
        for (const n of names.slice(1)) run('DELETE FROM dirent WHERE parent = ? AND name = ?', n.parent, n.name);
      }
      detached();
      linkCounts();
    };

    /** Entries in directories that cannot be reached from the root (a cycle or a lost subtree). */
    const detached = (): void => {
      const reach = new Set<bigint>([ROOT_INO]);
      const dirs = all<{ parent: bigint; ino: bigint }>(
        `SELECT d.parent, d.ino FROM dirent d JOIN inode i ON i.ino = d.ino WHERE (i.mode & ${S_IFMT}) = ${S_IFDIR}`);
      const kids = new Map<bigint, bigint[]>();
      for (const d of dirs) kids.set(d.parent, [...(kids.get(d.parent) ?? []), d.ino]);
      const stack = [ROOT_INO];
      while (stack.length) for (const c of kids.get(stack.pop()!) ?? []) if (!reach.has(c)) { reach.add(c); stack.push(c); }
      for (const d of new Set(all<{ parent: bigint }>('SELECT DISTINCT parent FROM dirent').map((r) => r.parent))) {
        if (reach.has(d)) continue;
        note(`directory ${d} is not reachable from the root; its entries are dropped`);
        run('DELETE FROM dirent WHERE parent = ?', d);
      }
    };

    /** nlink against entries: non-directories count their names, directories 2 + subdirectories. */
    const linkCounts = (): void => {
      const rows = all<{ ino: bigint; mode: bigint; nlink: bigint; refs: bigint; subdirs: bigint }>(
        `SELECT i.ino, i.mode, i.nlink,
           (SELECT count(*) FROM dirent d WHERE d.ino = i.ino) AS refs,
           (SELECT count(*) FROM dirent d JOIN inode c ON c.ino = d.ino
              WHERE d.parent = i.ino AND (c.mode & ${S_IFMT}) = ${S_IFDIR}) AS subdirs
         FROM inode i`);
      for (const r of rows) {
        if (r.ino === ROOT_INO) {
          if (r.nlink !== 2n + r.subdirs) { note(`root link count ${r.nlink}, expected ${2n + r.subdirs}`); run('UPDATE inode SET nlink = ? WHERE ino = ?', 2n + r.subdirs, r.ino); }
          continue;
        }
        if (r.refs === 0n) {
          if (r.nlink === 0n) leftovers.push(`inode ${r.ino} was unlinked while open (orphan): freed`);
          else note(`inode ${r.ino} has ${r.nlink} links but no name: freed`);
          if (repair || r.nlink === 0n) { store.remove(r.ino); store.afterCommit(() => blobs.remove(r.ino)); }
          continue;
        }
        const want = isDirMode(r.mode) ? 2n + r.subdirs : r.refs;
        if (r.nlink !== want) {
          note(`inode ${r.ino} link count ${r.nlink}, expected ${want}`);
          run('UPDATE inode SET nlink = ? WHERE ino = ?', want, r.ino);
        }
      }
      for (const r of all<{ ino: bigint }>('SELECT DISTINCT ino FROM xattr WHERE ino NOT IN (SELECT ino FROM inode)')) {
        note(`xattrs of missing inode ${r.ino}`);
        run('DELETE FROM xattr WHERE ino = ?', r.ino);
      }
    };

    store.tx(check); // without `repair` only leftovers change

    const modes = new Map(all<{ ino: bigint; mode: bigint }>('SELECT ino, mode FROM inode').map((r) => [r.ino, Number(r.mode)]));
    for (const ino of blobs.all()) {
      const mode = modes.get(ino);
      if (mode === undefined) leftovers.push(`blob ${ino} of a deleted inode: removed`);
      else if ((mode & S_IFMT) !== S_IFREG) note(`blob ${ino} belongs to a non-regular inode`);
      else continue;
      if (repair || mode === undefined) blobs.remove(ino);
    }
    for (const p of blobs.strays()) {
      note(`stray host file in the blob tree: ${p}`);
      if (repair) fs.rmSync(p, { recursive: true, force: true });
    }
    store.sync();
  } finally {
    store.close(!unrepaired);
  }
  return { problems, leftovers, clean: !unrepaired };
}
