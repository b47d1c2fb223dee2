// Capability sets (src/emu/kernel/capability.ts): the execve rules of capabilities(7) directly, and the whole
// model differentially (test/programs/capabilities.c: uid changes, capset, keep-caps, ambient, bounding set, access(2)).
import test from 'ava';
import { CAP, CAP_FULL, capBit, execCreds, initialCaps, rootCreds } from '../../../src/emu/kernel/capability.js';
import type { Credentials } from '../../../src/emu/kernel/task.js';
import { assertSameAsNative } from '../../helpers/program-diff.js';
import { rootfsUnavailableReason } from '../../helpers/rootfs.js';

const user = (uid: number): Credentials =>
  ({ uid, euid: uid, suid: uid, fsuid: uid, gid: uid, egid: uid, sgid: uid, fsgid: uid, groups: [uid], ...initialCaps(uid) });
const file = (mode: number, uid = 0, gid = 0) => ({ mode: 0o100000 | mode, uid, gid });

test('a set-user-ID-root program run by a user gets euid 0 and the bounding set, AT_SECURE', (t) => {
  const { creds, secure } = execCreds(user(1000), file(0o4755), false, false);
  t.deepEqual([creds.uid, creds.euid, creds.suid, creds.fsuid], [1000, 0, 0, 0]);
  t.is(creds.capPrm, CAP_FULL);
  t.is(creds.capEff, CAP_FULL);
  t.true(secure);
});

test('nosuid or no_new_privs ignore the set-id bits', (t) => {
  for (const [nosuid, nnp] of [[true, false], [false, true]] as const) {
    const { creds, secure } = execCreds(user(1000), file(0o6755, 0, 0), nosuid || nnp, nnp);
    t.deepEqual([creds.euid, creds.egid, creds.capPrm, creds.capEff], [1000, 1000, 0n, 0n]);
    t.false(secure);
  }
});

test('set-group-ID without group execute is not a set-id program (mandatory locking mark)', (t) => {
  t.is(execCreds(user(1000), file(0o2745, 0, 50), false, false).creds.egid, 1000);
  t.is(execCreds(user(1000), file(0o2755, 0, 50), false, false).creds.egid, 50);
});

test('root with a non-zero euid keeps the permitted set, not the effective one; a plain exec keeps root whole', (t) => {
  const c = { ...rootCreds(), euid: 1000, fsuid: 1000, capEff: 0n };
  const r = execCreds(c, file(0o755), false, false);
  t.is(r.creds.capPrm, CAP_FULL);
  t.is(r.creds.capEff, 0n);
  const whole = execCreds(rootCreds(), file(0o755), false, false);
  t.is(whole.creds.capEff, CAP_FULL);
  t.false(whole.secure);
});

test('the bounding set caps what root gets; ambient survives a plain exec and not a set-id one', (t) => {
  const root = { ...rootCreds(), capBnd: CAP_FULL & ~capBit(CAP.KILL) };
  t.is(execCreds(root, file(0o755), false, false).creds.capPrm & capBit(CAP.KILL), 0n);
  const u = { ...user(1000), capInh: capBit(CAP.CHOWN), capPrm: capBit(CAP.CHOWN), capAmb: capBit(CAP.CHOWN) };
  t.is(execCreds(u, file(0o755), false, false).creds.capEff, capBit(CAP.CHOWN));
  t.is(execCreds(u, file(0o4755, 1001), false, false).creds.capEff, 0n);
});

const why = rootfsUnavailableReason();
(why ? test.skip : test)(`capability sets through setuid, capset, execve; access(2) vs AT_EACCESS${why ? ` (${why})` : ''}`,
  (t) => assertSameAsNative(t, 'capabilities'));
