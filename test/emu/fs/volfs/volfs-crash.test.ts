// Durability: a process working on a VolFs store is killed with SIGKILL; what it closed or fsynced before is
// intact after a reopen, and fsck finds no inconsistency (only the leftovers a crash leaves by design: the
// inode it had unlinked while open, and maybe blobs of files deleted just before the kill).
import test from 'ava';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { O } from '../../../../src/emu/fs/constants.js';
import { fsck } from '../../../../src/emu/fs/volfs/fsck.js';
import { lstat, sc, volWorld } from './vol-world.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');

test('kill -9 in the middle of work: closed and fsynced data survive, fsck is clean, the store reopens', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-volfs-crash-'));
  const p = spawn(process.execPath, ['--import', 'tsx', child, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((r) => p.on('exit', (_code, signal) => r(signal)));
  await Promise.race([
    new Promise<void>((resolve) => p.stdout.on('data', (b: Buffer) => { if (b.toString().includes('ready')) resolve(); })),
    exited.then(() => { throw new Error('the child exited before it was ready'); }),
  ]);
  await new Promise((r) => setTimeout(r, 700)); // let it churn through creates, renames and unlinks
  p.kill('SIGKILL');
  t.is(await exited, 'SIGKILL', 'the child was still working when killed');

  const report = fsck(dir, { repair: false });
  t.deepEqual(report.problems, []);
  t.true(report.clean);
  t.true(report.leftovers.some((l) => /unlinked while open/.test(l)), report.leftovers.join('\n'));
  t.deepEqual(fsck(dir).leftovers, [], 'the leftovers were cleaned by the first run');

  const w = volWorld(dir);
  const k = w.task();
  for (let i = 0; i < 50; i++) {
    if (i === 2) continue;
    const fd = await sc.open(k, `/done/f${i}`);
    t.is(await sc.read(k, fd, 2000), `file ${i} `.repeat(100));
    t.is(lstat(k, `/done/f${i}`).mode & 0o777, 0o640);
  }
  t.is(await sc.read(k, await sc.open(k, '/done/f2-renamed'), 2000), 'file 2 '.repeat(100));
  t.is(await sc.read(k, await sc.open(k, '/done/synced')), 'fsynced');
  t.is(lstat(k, '/done/f1').nlink, 2);
  t.is(await sc.readlink(k, '/done/f3-sym'), 'f3');
  t.is(await sc.open(k, '/done/unlinked'), -E_NOENT);
  const fd = await sc.open(k, '/busy/after', O.CREAT | O.WRONLY);
  t.true(fd >= 0);
  w.fs.close();
  t.deepEqual(fsck(dir).problems, []);
});

const E_NOENT = 2;
