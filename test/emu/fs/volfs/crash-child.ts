// The child of the crash test: works on a VolFs store through the syscalls until it is killed.
// It prints "ready" once the durable part is done (files closed, one fsynced, links and renames made, one
// file unlinked while still open), then keeps creating, writing and removing files until SIGKILL.
import { AT_FDCWD, O } from '../../../../src/emu/fs/constants.js';
import { call } from '../fake-task.js';
import { sc, volWorld } from './vol-world.js';

const w = volWorld(process.argv[2]);
const k = w.task();
await sc.mkdir(k, '/done');
for (let i = 0; i < 50; i++) {
  const fd = await sc.open(k, `/done/f${i}`, O.CREAT | O.WRONLY, 0o640);
  await sc.write(k, fd, `file ${i} `.repeat(100));
  await sc.close(k, fd);
}
const synced = await sc.open(k, '/done/synced', O.CREAT | O.WRONLY);
await sc.write(k, synced, 'fsynced');
await call(k, 'fsync', synced);
await sc.link(k, '/done/f1', '/done/f1-link');
await sc.rename(k, '/done/f2', '/done/f2-renamed');
await sc.symlink(k, 'f3', '/done/f3-sym');
const open = await sc.open(k, '/done/unlinked', O.CREAT | O.RDWR);
await sc.write(k, open, 'kept open');
await sc.unlink(k, '/done/unlinked');
process.stdout.write('ready\n');
await sc.mkdir(k, '/busy');
const mark = k.mem.mark();
for (let i = 0; ; i++) {
  k.mem.rewind(mark); // the loop runs until killed: reuse the fake memory its arguments take
  const fd = await sc.open(k, `/busy/n${i % 200}`, O.CREAT | O.WRONLY | O.TRUNC);
  await sc.write(k, fd, 'x'.repeat(i % 5000));
  if (i % 3 === 0) await sc.unlink(k, `/busy/n${(i + 7) % 200}`);
  if (i % 5 === 0) await sc.rename(k, `/busy/n${i % 200}`, `/busy/r${i % 50}`);
  await sc.close(k, fd);
  if (i % 100 === 0) await call(k, 'mkdirat', AT_FDCWD, k.mem.str(`/busy/d${i}`), 0o755);
}
