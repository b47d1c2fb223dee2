import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DrvFs, type HostMetadata, type MetadataStore } from '../../../../src/emu/fs/drvfs/drvfs.js';
import { noDrvFsOptions, parseDrvFsOptions } from '../../../../src/emu/fs/drvfs/options.js';
import { openMetadataStore } from '../../../../src/instance/drvfs-metadata.js';
import { LinuxError } from '../../../../src/emu/kernel/errno.js';
import type { HostNode } from '../../../../src/emu/fs/hostfs/hostfs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-drvfs-'));
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.mkdirSync(path.join(dir, 'd'));
fs.writeFileSync(path.join(dir, 'f'), 'x');
fs.chmodSync(path.join(dir, 'f'), 0o640);
fs.chmodSync(path.join(dir, 'd'), 0o750);
fs.symlinkSync('f', path.join(dir, 'l'));

const node = (d: DrvFs, name: string): HostNode => d.root.lookup(name, null as never);
const perm = (d: DrvFs, name: string): number => node(d, name).stat().mode & 0o7777;

test('options: ids, octal masks, metadata; anything else is a problem and left out', (t) => {
  t.deepEqual(parseDrvFsOptions('uid=1000, gid=100,umask=022,fmask=111,dmask=0,metadata'), {
    options: { uid: 1000, gid: 100, umask: 0o22, fmask: 0o111, dmask: 0, metadata: true }, problems: [],
  });
  const bad = parseDrvFsOptions('uid=me,umask=9,case=dir,metadata=1,noatime');
  t.deepEqual(bad.options, noDrvFsOptions());
  t.is(bad.problems.length, 5);
});

test('no options: the host modes and owners, chmod reaches the host file', (t) => {
  const d = new DrvFs(dir, noDrvFsOptions(), null);
  const host = fs.statSync(path.join(dir, 'f'));
  t.is(perm(d, 'f'), 0o640);
  t.is(node(d, 'f').stat().uid, host.uid);
  node(d, 'f').setattr({ mode: 0o604 });
  t.is(fs.statSync(path.join(dir, 'f')).mode & 0o777, 0o604);
  fs.chmodSync(path.join(dir, 'f'), 0o640);
});

test('uid/gid and masks synthesize the metadata; chmod without metadata is EPERM and the host file unchanged', (t) => {
  const d = new DrvFs(dir, parseDrvFsOptions('uid=1000,gid=1001,umask=022,fmask=111').options, null);
  const f = node(d, 'f').stat(), dd = node(d, 'd').stat(), l = node(d, 'l').stat();
  t.deepEqual([f.uid, f.gid, f.mode & 0o7777], [1000, 1001, 0o644]);
  t.is(dd.mode & 0o7777, 0o755);
  t.is(l.mode & 0o7777, 0o777, 'symlinks keep 0777');
  t.throws(() => node(d, 'f').setattr({ mode: 0o600 }), { instanceOf: LinuxError });
  t.is(fs.statSync(path.join(dir, 'f')).mode & 0o777, 0o640);
});

test('metadata: chmod/chown kept in the store, shown by stat (open files too), the host file untouched', (t) => {
  const kept = new Map<string, HostMetadata>();
  const store: MetadataStore = {
    get: (p) => kept.get(p), set: (p, m) => { kept.set(p, m); }, remove: (p) => { kept.delete(p); },
    move: (a, b) => { const m = kept.get(a); kept.delete(a); kept.delete(b); if (m) kept.set(b, m); },
  };
  const d = new DrvFs(dir, parseDrvFsOptions('metadata').options, store);
  node(d, 'f').setattr({ mode: 0o4711, uid: 42 });
  node(d, 'f').setattr({ gid: 43 });
  const st = node(d, 'f').stat();
  t.deepEqual([st.mode & 0o7777, st.uid, st.gid], [0o4711, 42, 43]);
  t.is(fs.statSync(path.join(dir, 'f')).mode & 0o7777, 0o640);
  const open = node(d, 'f').open(null as never, 0, null as never);
  t.is(open.stat().mode & 0o7777, 0o4711);
  open.ref(); open.unref();
  t.is(perm(d, 'd'), 0o750, 'others keep the host values');
});

test('the SQLite store: get/set, remove and move carry a whole subtree, survive reopening', (t) => {
  const file = path.join(dir, 'meta.db');
  let s = openMetadataStore(file);
  s.set('/a', { mode: 0o600 });
  s.set('/a/b', { uid: 5 });
  s.set('/a/b/c', { gid: 6 });
  s.set('/ab', { mode: 0o700 });
  s.set('/x', { mode: 0o711 });
  s.move('/a', '/x');
  t.is(s.get('/a'), undefined);
  t.deepEqual(s.get('/x'), { mode: 0o600 });
  t.deepEqual(s.get('/x/b/c'), { gid: 6 });
  t.deepEqual(s.get('/ab'), { mode: 0o700 }, 'a sibling sharing the prefix stays');
  s.close();
  s = openMetadataStore(file);
  t.deepEqual(s.get('/x/b'), { uid: 5 });
  s.remove('/x');
  t.is(s.get('/x/b'), undefined);
  t.deepEqual(s.get('/ab'), { mode: 0o700 });
  s.remove('/');
  t.is(s.get('/ab'), undefined);
  s.close();
});
