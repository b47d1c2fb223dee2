// The VolFs metadata store: inodes, directory entries and extended attributes in one SQLite database (WAL),
// next to the blob files that hold regular files' contents (blobs.ts). Names are byte strings kept as BLOBs,
// so any byte except '/' and NUL survives and comparisons are case-sensitive whatever the host filesystem.
// Durability: WAL with synchronous=NORMAL makes every committed transaction survive the death of the process
// (kill -9); sync() checkpoints with fsync for fsync(2)/syncfs(2) callers that want it on the disk too.
import type Database from 'better-sqlite3';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { S_IFDIR } from '../constants.js';

/** One inode row as stored; times in ns since the epoch; `target`: a symlink's text (latin1 byte string). */
export interface InodeRow {
  ino: bigint;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  rdev: number;
  atime: bigint;
  mtime: bigint;
  ctime: bigint;
  btime: bigint;
  target: string | null;
}

export const ROOT_INO = 2n;
export const DB_FILE = 'volfs.db';
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inode (
  ino INTEGER PRIMARY KEY AUTOINCREMENT, mode INTEGER NOT NULL, uid INTEGER NOT NULL, gid INTEGER NOT NULL,
  nlink INTEGER NOT NULL, rdev INTEGER NOT NULL DEFAULT 0, atime INTEGER NOT NULL, mtime INTEGER NOT NULL,
  ctime INTEGER NOT NULL, btime INTEGER NOT NULL, target BLOB);
CREATE TABLE IF NOT EXISTS dirent (parent INTEGER NOT NULL, name BLOB NOT NULL, ino INTEGER NOT NULL,
  PRIMARY KEY (parent, name)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dirent_ino ON dirent (ino);
CREATE TABLE IF NOT EXISTS xattr (ino INTEGER NOT NULL, name BLOB NOT NULL, value BLOB NOT NULL,
  PRIMARY KEY (ino, name)) WITHOUT ROWID;
`;

const nb = (s: string): Buffer => Buffer.from(s, 'latin1');

/** better-sqlite3, loaded at the first store opened: a daemon serving only hostfs roots never pays for it. */
let sqlite: typeof Database | undefined;
const openDatabase = (file: string): Database.Database =>
  new (sqlite ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database)(file);

/** Convert a row read with safeIntegers (every integer a BigInt) to an InodeRow. */
function toRow(r: Record<string, unknown>): InodeRow {
  const n = (k: string): number => Number(r[k] as bigint);
  const t = r.target as Buffer | null;
  return {
    ino: r.ino as bigint, mode: n('mode'), uid: n('uid'), gid: n('gid'), nlink: n('nlink'), rdev: n('rdev'),
    atime: r.atime as bigint, mtime: r.mtime as bigint, ctime: r.ctime as bigint, btime: r.btime as bigint,
    target: t === null ? null : t.toString('latin1'),
  };
}

export type NewInode = Omit<InodeRow, 'ino'>;

export class Store {
  readonly db: Database.Database;
  private readonly q;

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.db = openDatabase(path.join(dir, DB_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    const p = (sql: string) => this.db.prepare(sql).safeIntegers(true);
    this.q = {
      get: p('SELECT * FROM inode WHERE ino = ?'),
      insert: p(`INSERT INTO inode (mode, uid, gid, nlink, rdev, atime, mtime, ctime, btime, target)
        VALUES (@mode, @uid, @gid, @nlink, @rdev, @atime, @mtime, @ctime, @btime, @target)`),
      insertAt: p(`INSERT INTO inode (ino, mode, uid, gid, nlink, rdev, atime, mtime, ctime, btime, target)
        VALUES (@ino, @mode, @uid, @gid, @nlink, @rdev, @atime, @mtime, @ctime, @btime, @target)`),
      del: p('DELETE FROM inode WHERE ino = ?'),
      delXattrs: p('DELETE FROM xattr WHERE ino = ?'),
      lookup: p('SELECT d.ino, i.mode FROM dirent d JOIN inode i ON i.ino = d.ino WHERE d.parent = ? AND d.name = ?'),
      list: p('SELECT d.name, d.ino, i.mode FROM dirent d JOIN inode i ON i.ino = d.ino WHERE d.parent = ?'),
      hasChild: p('SELECT 1 FROM dirent WHERE parent = ? LIMIT 1'),
      addEntry: p('INSERT INTO dirent (parent, name, ino) VALUES (?, ?, ?)'),
      setEntry: p('UPDATE dirent SET ino = ? WHERE parent = ? AND name = ?'),
      delEntry: p('DELETE FROM dirent WHERE parent = ? AND name = ?'),
      nlink: p('UPDATE inode SET nlink = nlink + ?, ctime = ? WHERE ino = ?'),
      getX: p('SELECT value FROM xattr WHERE ino = ? AND name = ?'),
      listX: p('SELECT name FROM xattr WHERE ino = ? ORDER BY name'),
      allX: p('SELECT name, value FROM xattr WHERE ino = ?'),
      setX: p('INSERT OR REPLACE INTO xattr (ino, name, value) VALUES (?, ?, ?)'),
      delX: p('DELETE FROM xattr WHERE ino = ? AND name = ?'),
      orphans: p('SELECT ino, mode FROM inode WHERE nlink = 0'),
    };
    if (!this.get(ROOT_INO)) this.initRoot();
  }

  private initRoot(): void {
    const now = BigInt(Date.now()) * 1_000_000n;
    this.tx(() => {
      this.q.insertAt.run({ ino: ROOT_INO, mode: S_IFDIR | 0o755, uid: 0, gid: 0, nlink: 2, rdev: 0,
        atime: now, mtime: now, ctime: now, btime: now, target: null });
      this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run('schema', SCHEMA_VERSION);
    });
  }

  /** Run `fn` in one transaction (nested calls join the outer one); afterCommit work runs once it committed. */
  tx<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    let r: T;
    try { r = this.db.transaction(fn)(); } catch (e) { this.after.length = 0; throw e; }
    this.runAfter();
    return r;
  }

  /** Commit a transaction opened with BEGIN (bulk writers), then its afterCommit work. */
  commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.runAfter();
  }

  /**
   * Host work that must follow the commit (removing a deleted inode's blob): a crash before the commit then
   * keeps the file whole, and one after it leaves only a blob without an inode, which the next open sweeps.
   */
  afterCommit(fn: () => void): void {
    if (this.db.inTransaction) this.after.push(fn); else fn();
  }
  private readonly after: (() => void)[] = [];
  private runAfter(): void { for (const f of this.after.splice(0)) f(); }

  /** Whether the last user closed the store (a crash leaves it marked open); marks it open/closed. */
  markOpen(): boolean {
    const r = this.db.prepare("SELECT value FROM meta WHERE key = 'state'").get() as { value: string } | undefined;
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('state', 'open')").run();
    return r === undefined || r.value === 'closed';
  }
  private markClosed(): void { this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('state', 'closed')").run(); }

  get(ino: bigint): InodeRow | null {
    const r = this.q.get.get(ino) as Record<string, unknown> | undefined;
    return r ? toRow(r) : null;
  }

  insert(n: NewInode): bigint {
    return this.q.insert.run({ ...n, target: n.target === null ? null : nb(n.target) }).lastInsertRowid as bigint;
  }

  /** Change some columns of an inode. */
  update(ino: bigint, cols: Partial<NewInode>): void {
    const keys = (Object.keys(cols) as (keyof NewInode)[]).filter((k) => cols[k] !== undefined).sort();
    if (keys.length === 0) return;
    const key = keys.join(',');
    let st = this.updates.get(key);
    if (!st) {
      st = this.db.prepare(`UPDATE inode SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE ino = @ino`);
      this.updates.set(key, st);
    }
    const args: Record<string, unknown> = { ino };
    for (const k of keys) args[k] = k === 'target' ? nb(cols.target!) : cols[k];
    st.run(args);
  }
  private readonly updates = new Map<string, Database.Statement>();

  addLinks(ino: bigint, delta: number, ctime: bigint): void { this.q.nlink.run(delta, ctime, ino); }

  /** Remove an inode row and its xattrs (its blob is the caller's). */
  remove(ino: bigint): void {
    this.q.delXattrs.run(ino);
    this.q.del.run(ino);
  }

  lookup(parent: bigint, name: string): { ino: bigint; mode: number } | null {
    const r = this.q.lookup.get(parent, nb(name)) as { ino: bigint; mode: bigint } | undefined;
    return r ? { ino: r.ino, mode: Number(r.mode) } : null;
  }

  list(parent: bigint): { name: string; ino: bigint; mode: number }[] {
    return (this.q.list.all(parent) as { name: Buffer; ino: bigint; mode: bigint }[])
      .map((r) => ({ name: r.name.toString('latin1'), ino: r.ino, mode: Number(r.mode) }));
  }

  hasChildren(dir: bigint): boolean { return this.q.hasChild.get(dir) !== undefined; }
  addEntry(parent: bigint, name: string, ino: bigint): void { this.q.addEntry.run(parent, nb(name), ino); }
  setEntry(parent: bigint, name: string, ino: bigint): void { this.q.setEntry.run(ino, parent, nb(name)); }
  removeEntry(parent: bigint, name: string): void { this.q.delEntry.run(parent, nb(name)); }

  getXattr(ino: bigint, name: string): Buffer | null {
    const r = this.q.getX.get(ino, nb(name)) as { value: Buffer } | undefined;
    return r ? r.value : null;
  }
  listXattrs(ino: bigint): string[] {
    return (this.q.listX.all(ino) as { name: Buffer }[]).map((r) => r.name.toString('latin1'));
  }
  allXattrs(ino: bigint): Map<string, Buffer> {
    return new Map((this.q.allX.all(ino) as { name: Buffer; value: Buffer }[]).map((r) => [r.name.toString('latin1'), r.value]));
  }
  setXattr(ino: bigint, name: string, value: Uint8Array): void { this.q.setX.run(ino, nb(name), Buffer.from(value)); }
  removeXattr(ino: bigint, name: string): boolean { return this.q.delX.run(ino, nb(name)).changes > 0; }

  /** Inodes with no names left (unlinked while open, or O_TMPFILE) as a crash left them. */
  orphans(): { ino: bigint; mode: number }[] {
    return (this.q.orphans.all() as { ino: bigint; mode: bigint }[]).map((r) => ({ ino: r.ino, mode: Number(r.mode) }));
  }

  /** Make committed transactions durable on the disk (fsync, syncfs): a checkpoint fsyncs the WAL and the DB. */
  sync(): void { this.db.pragma('wal_checkpoint(FULL)'); }

  /** Close; `clean`: mark the store cleanly closed (a VolFs mount's close). */
  close(clean = false): void {
    if (!this.db.open) return;
    if (clean) this.markClosed();
    this.db.close();
  }
}
