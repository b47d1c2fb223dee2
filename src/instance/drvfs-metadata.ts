// The instance's store for DrvFs's `metadata` option: Linux modes and owners of host files, one SQLite
// table in $PBASH_HOME (drvfs-metadata.db, WAL) keyed by the host path's bytes. One store per instance,
// shared by its distros, as WSL keeps this metadata with the host file whatever distro wrote it. Keyed by
// path, not inode: changes made through Linux (unlink, rename) carry it along; changes the host makes
// behind Linux's back leave an entry at the old path.
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import type { HostMetadata, MetadataStore } from '../emu/fs/drvfs/drvfs.js';

const SCHEMA = `CREATE TABLE IF NOT EXISTS meta (path BLOB PRIMARY KEY, mode INTEGER, uid INTEGER, gid INTEGER) WITHOUT ROWID;`;

const nb = (s: string): Buffer => Buffer.from(s, 'latin1');

/** The byte range [lo, hi) holding every path below `p` (memcmp order, as SQLite compares BLOBs). */
function below(p: string): [Buffer, Buffer] {
  const lo = nb(p === '/' ? '/' : `${p}/`);
  const hi = Buffer.from(lo);
  hi[hi.length - 1]! += 1; // '/' + 1 = '0'
  return [lo, hi];
}

interface Row { path: Buffer; mode: number | null; uid: number | null; gid: number | null; }

export function openMetadataStore(file: string): MetadataStore & { close(): void } {
  const db: Database.Database = new (createRequire(import.meta.url)('better-sqlite3') as typeof Database)(file);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  const get = db.prepare<[Buffer], Row>('SELECT * FROM meta WHERE path = ?');
  const put = db.prepare('INSERT OR REPLACE INTO meta (path, mode, uid, gid) VALUES (?, ?, ?, ?)');
  const del = db.prepare('DELETE FROM meta WHERE path = ? OR (path >= ? AND path < ?)');
  const tree = db.prepare<[Buffer, Buffer, Buffer], Row>('SELECT * FROM meta WHERE path = ? OR (path >= ? AND path < ?)');
  const remove = (p: string): void => { del.run(nb(p), ...below(p)); };
  const move = db.transaction((from: string, to: string) => {
    const rows = tree.all(nb(from), ...below(from));
    remove(to);
    remove(from);
    const f = nb(from);
    for (const r of rows) put.run(Buffer.concat([nb(to), r.path.subarray(f.length)]), r.mode, r.uid, r.gid);
  });
  return {
    get(p): HostMetadata | undefined {
      const r = get.get(nb(p));
      if (!r) return undefined;
      const m: HostMetadata = {};
      if (r.mode !== null) m.mode = r.mode;
      if (r.uid !== null) m.uid = r.uid;
      if (r.gid !== null) m.gid = r.gid;
      return m;
    },
    set(p, m) { put.run(nb(p), m.mode ?? null, m.uid ?? null, m.gid ?? null); },
    remove,
    move(from, to) { move(from, to); },
    close() { db.close(); },
  };
}
