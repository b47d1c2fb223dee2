// The System V IPC id table (kernel/ipc/ids.ts): keys, ids built from index and sequence, removal, limits,
// permissions against the caller's credentials.
import test from 'ava';
import { IPC_CREAT, IPC_EXCL, IPC_PRIVATE, IpcIds, IpcObject } from '../../../../src/emu/kernel/ipc/ids.js';
import type { IpcPerm } from '../../../../src/emu/kernel/ipc/perm.js';
import type { Credentials } from '../../../../src/emu/kernel/task.js';
import { initialCaps } from '../../../../src/emu/kernel/capability.js';
import { E, LinuxError } from '../../../../src/emu/kernel/errno.js';

class Obj extends IpcObject {
  destroyed = false;
  constructor(perm: IpcPerm) { super(perm, 0); }
  destroy(): void { this.destroyed = true; }
}

const creds = (uid: number, gid = uid, groups: number[] = [gid]): Credentials =>
  ({ uid, euid: uid, suid: uid, fsuid: uid, gid, egid: gid, sgid: gid, fsgid: gid, groups, ...initialCaps(uid) });
const root = creds(0), alice = creds(1000), bob = creds(1001, 1001, [1001, 1000]), eve = creds(1002);
const table = (mni = 32000): IpcIds<Obj> => new IpcIds<Obj>('obj', () => mni, { header: 'h\n', line: (o) => `${o.id}\n` });
const errno = (f: () => unknown): number => {
  try { f(); } catch (e) { if (e instanceof LinuxError) return e.errno; throw e; }
  return 0;
};

test('keys: IPC_CREAT makes, the same key finds, IPC_EXCL refuses, no IPC_CREAT is ENOENT', (t) => {
  const ids = table();
  t.is(errno(() => ids.get(root, 42, 0o600, (p) => new Obj(p))), E.ENOENT);
  const id = ids.get(root, 42, IPC_CREAT | 0o600, (p) => new Obj(p));
  t.is(ids.get(root, 42, 0, (p) => new Obj(p)), id);
  t.is(ids.get(root, 42, IPC_CREAT, (p) => new Obj(p)), id);
  t.is(errno(() => ids.get(root, 42, IPC_CREAT | IPC_EXCL, (p) => new Obj(p))), E.EEXIST);
  t.not(ids.get(root, IPC_PRIVATE, 0o600, (p) => new Obj(p)), id, 'IPC_PRIVATE always makes a new object');
  t.is(ids.inUse, 2);
});

test('ids are index + sequence * 32768; a stale id stays invalid after its index is reused', (t) => {
  const ids = table(64); // indexes cycle through [0, min(max(in_use * 3/2, 64), limit))
  const made: number[] = [];
  for (let i = 0; i < 64; i++) made.push(ids.get(root, IPC_PRIVATE, 0o600, (p) => new Obj(p)));
  t.deepEqual(made.slice(0, 3), [0, 1, 2]);
  const first = ids.byId(0);
  ids.remove(first);
  t.true(first.removed && first.destroyed);
  t.is(errno(() => ids.byId(0)), E.EINVAL);
  const again = ids.get(root, IPC_PRIVATE, 0o600, (p) => new Obj(p));
  t.is(again, 32768, 'index 0 again after wrapping: the next sequence');
  t.is(ids.byId(again).perm.seq, 1);
  t.is(errno(() => ids.byId(0)), E.EINVAL);
  t.is(ids.maxIdx, 63);
  t.is(ids.byIndex(0).id, again);
});

test('the kind limit gives ENOSPC; removal frees the key', (t) => {
  const ids = table(2);
  const a = ids.get(root, 1, IPC_CREAT, (p) => new Obj(p));
  ids.get(root, 2, IPC_CREAT, (p) => new Obj(p));
  t.is(errno(() => ids.get(root, 3, IPC_CREAT, (p) => new Obj(p))), E.ENOSPC);
  ids.remove(ids.byId(a));
  t.is(errno(() => ids.get(root, 1, 0, (p) => new Obj(p))), E.ENOENT);
  t.truthy(ids.get(root, 3, IPC_CREAT, (p) => new Obj(p)) >= 0);
  t.is(ids.procText().split('\n').length, 4);
});

test('permissions: owner, group and other triads, root bypasses, owner-only IPC_SET/IPC_RMID', (t) => {
  const ids = table();
  const o = ids.byId(ids.get(alice, IPC_PRIVATE, 0o640, (p) => new Obj(p)));
  t.true(o.perm.allows(alice, 0o600));
  t.true(o.perm.allows(bob, 0o400), 'bob is in alice\'s group: read');
  t.false(o.perm.allows(bob, 0o200), 'group has no write');
  t.false(o.perm.allows(eve, 0o400));
  t.true(o.perm.allows(root, 0o600));
  t.is(errno(() => o.perm.checkOwner(bob)), E.EPERM);
  t.is(errno(() => o.perm.checkOwner(root)), 0);
  o.perm.update({ uid: 1002, gid: 1002, mode: 0o7604 });
  t.is(o.perm.mode, 0o604);
  t.true(o.perm.allows(eve, 0o600), 'new owner');
  t.true(o.perm.allows(alice, 0o600), 'the creator keeps owner rights');
  t.is(errno(() => ids.get(bob, o.perm.key, 0o400, (p) => new Obj(p))), 0, 'private key: a new object, no check');
  const k = ids.get(alice, 7, IPC_CREAT | 0o600, (p) => new Obj(p));
  t.is(errno(() => ids.get(eve, 7, 0o400, (p) => new Obj(p))), E.EACCES);
  t.is(ids.get(eve, 7, 0, (p) => new Obj(p)), k, 'asking for nothing is always granted');
});
