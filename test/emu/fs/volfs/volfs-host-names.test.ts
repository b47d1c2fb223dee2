// VolFs asks nothing of the host filesystem but regular files and directories with fixed ASCII names: guest
// names differing only in case or Unicode normalization, names a Windows host cannot hold, symlinks, FIFOs,
// device nodes, foreign owners and setuid modes all live in the store. So a case-insensitive, symlink-less
// or owner-less host filesystem loses nothing (this host has none to mount: its kernel lacks casefold and
// vfat), which this test shows from the host side: every host entry under the distro is a plain file or
// directory named by the store, owned by the daemon's user, without special mode bits.
import test from 'ava';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { O, S_IFCHR, S_IFIFO } from '../../../../src/emu/fs/constants.js';
import { lstat, sc, volWorld } from './vol-world.js';

const NAMES = ['Makefile', 'makefile', 'MAKEFILE', '\u00c4', 'A\u0308', 'a:b', 'c\\d', 'e*f?', 'g"h<i>|', 'x.', 'y ', 'CON', 'nul', 'aux.txt'];

test('names, links, special files and owners stay in the store: the host sees only numbered plain files', async (t) => {
  const w = volWorld();
  const k = w.task();
  t.is(await sc.mkdir(k, '/d'), 0);
  for (const [i, n] of NAMES.entries()) {
    const fd = await sc.open(k, `/d/${n}`, O.CREAT | O.WRONLY | O.EXCL, 0o4755);
    t.true(fd >= 0, n);
    await sc.write(k, fd, `content ${i}`);
    await sc.close(k, fd);
    t.is(await sc.chown(k, `/d/${n}`, 1000 + i, 2000 + i), 0);
  }
  t.is(await sc.symlink(k, 'Makefile', '/d/link'), 0);
  t.is(await sc.link(k, '/d/makefile', '/d/hard'), 0);
  t.is(await sc.mknod(k, '/d/fifo', S_IFIFO | 0o644), 0);
  t.is(await sc.mknod(k, '/d/null', S_IFCHR | 0o666, (1 << 8) | 3), 0);

  // the guest sees every name apart, with its own bytes and owner
  for (const [i, n] of NAMES.entries()) {
    t.is(await sc.read(k, await sc.open(k, `/d/${n}`)), `content ${i}`, n);
    t.is(lstat(k, `/d/${n}`).uid, 1000 + i);
  }
  t.is(await sc.readlink(k, '/d/link'), 'Makefile');
  t.is(lstat(k, '/d/hard').nlink, 2);
  w.fs.close();

  const me = process.getuid?.() ?? 0;
  const walk = (dir: string, rel = ''): void => {
    for (const e of fs.readdirSync(dir)) {
      const p = path.join(dir, e), r = rel ? `${rel}/${e}` : e;
      const st = fs.lstatSync(p);
      t.true(st.isFile() || st.isDirectory(), `${r}: only plain files and directories on the host`);
      t.regex(r, /^(volfs\.db(-wal|-shm)?|blobs(\/[0-9a-f]{2}(\/\d+)?)?)$/, 'host names come from the store, never the guest');
      t.is(st.uid, me, `${r}: owned by the daemon's user`);
      t.is(st.mode & 0o7000, 0, `${r}: no setuid/setgid/sticky on the host`);
      if (st.isDirectory()) walk(p, r);
    }
  };
  walk(w.dir);
});
