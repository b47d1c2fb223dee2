// Symlinks in VolFs never lead to host files: whatever the target ("/", "../../..", "/mnt/../..", the host
// path of the store itself), the VFS resolves it inside the distro, and no guest name reaches a host path.
import test from 'ava';
import * as fs from 'node:fs';
import { O } from '../../../../src/emu/fs/constants.js';
import { sc, volWorld } from './vol-world.js';

test('symlink targets resolve inside the distro root, never on the host', async (t) => {
  const w = volWorld();
  const k = w.task();
  await sc.mkdir(k, '/etc');
  await sc.mkdir(k, '/mnt');
  const fd = await sc.open(k, '/etc/passwd', O.CREAT | O.WRONLY);
  await sc.write(k, fd, 'guest passwd');
  await sc.close(k, fd);
  for (const [name, target] of [['up', '../../../../etc/passwd'], ['abs', '/etc/passwd'], ['viamnt', '/mnt/../../etc/passwd'],
    ['store', `${w.dir}/volfs.db`], ['blobs', `${w.dir}/blobs`], ['hostroot', '/../../..']]) {
    t.is(await sc.symlink(k, target!, `/${name}`), 0);
  }
  for (const n of ['up', 'abs', 'viamnt']) t.is(await sc.read(k, await sc.open(k, `/${n}`)), 'guest passwd', n);
  t.is(await sc.open(k, '/store'), -2); // the host's store path means nothing inside
  t.is(await sc.open(k, '/blobs'), -2);
  const root = await sc.open(k, '/hostroot', O.RDONLY | O.DIRECTORY); // "/.." is "/" of the distro
  t.deepEqual(k.kernel.vfs.dentryOf(k.files.get(root)).path, '/');
  // names that would mean something to the host are only names here
  for (const n of ['..x', 'a\\b', 'C:', 'volfs.db']) t.true(await sc.open(k, `/${n}`, O.CREAT | O.WRONLY) >= 0, n);
  t.false(fs.existsSync(`${w.dir}/C:`));
  t.false(fs.readdirSync(w.dir).some((f) => f.includes('..x') || f.includes('a\\b')));
});
