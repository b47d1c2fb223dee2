// Filesystem work on an installed distro (VolFs, through the daemon, warm) beside the same commands natively
// on the host filesystem (chroot into the rootfs the image was made from). bench/run.mjs prints these.
//   tar xf of a 10,000-file archive, find / -xdev | wc -l, ls -laR /usr, du -s /usr, dpkg -l
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const median = (xs) => { const a = [...xs].sort((p, q) => p - q); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };

function timed(argv, env, input) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (b) => { if (err.length < 2048) err += b; });
    if (input) child.stdin.end(input);
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code === 0) resolve(wall); else reject(new Error(`${argv.slice(-1)[0]}: exit ${code}: ${err.trim()}`));
    });
  });
}

/** { title, rows: [{ label, native, pbash, ratio }] } */
export async function volfsBench({ root, pbashBin, repo, reps, log }) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-bench-volfs-'));
  const env = { ...process.env, PBASH_HOME: home, PBASH_IDLE_MS: '60000' };
  const pbash = (cmd) => [process.execPath, pbashBin, '-d', 'bench', '-c', cmd];
  const native = (cmd) => ['/usr/sbin/chroot', root, '/bin/sh', '-c', cmd];
  try {
    log('bench: volfs: installing the debian image into a fresh instance');
    execFileSync(process.execPath, [pbashBin, 'install', 'debian', '--name', 'bench'], { env, stdio: 'ignore' });
    // 10,000 small files, the archive made by the host's tar, placed in both trees
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-bench-files-'));
    for (let d = 0; d < 100; d++) {
      fs.mkdirSync(path.join(src, `d${d}`));
      for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(src, `d${d}`, `f${f}`), `${d}.${f}\n`.repeat(20));
    }
    const tarball = execFileSync('tar', ['-C', src, '-cf', '-', '.'], { maxBuffer: 1 << 28 });
    fs.rmSync(src, { recursive: true, force: true });
    fs.mkdirSync(path.join(root, 'var/tmp/pbash-bench'), { recursive: true });
    fs.writeFileSync(path.join(root, 'var/tmp/pbash-bench/files10k.tar'), tarball);
    await timed(pbash('mkdir -p /var/tmp/pbash-bench && cat > /var/tmp/pbash-bench/files10k.tar'), env, tarball);
    const untar = 'rm -rf /var/tmp/pbash-bench/x && mkdir /var/tmp/pbash-bench/x && cd /var/tmp/pbash-bench/x && tar xf ../files10k.tar';
    const cases = [
      ['tar xf of 10,000 files', untar],
      ['find / -xdev | wc -l', 'find / -xdev | wc -l'],
      ['ls -laR /usr > /dev/null', 'ls -laR /usr > /dev/null'],
      ['du -s /usr', 'du -s /usr'],
      ['dpkg -l', 'dpkg -l > /dev/null'],
    ];
    const rows = [];
    for (const [label, cmd] of cases) {
      log(`bench: volfs: ${label} (${reps} runs each side)`);
      const n = [], p = [];
      for (let i = 0; i < reps; i++) { n.push(await timed(native(cmd), process.env)); p.push(await timed(pbash(cmd), env)); }
      rows.push({ label, native: median(n), pbash: median(p), ratio: median(p) / median(n) });
    }
    fs.rmSync(path.join(root, 'var/tmp/pbash-bench/x'), { recursive: true, force: true });
    return { id: 'volfs', title: 'filesystem work: installed debian (VolFs, pbash -d, warm daemon) vs native (host fs, chroot)', rows };
  } finally {
    spawnSync(process.execPath, [pbashBin, 'shutdown'], { env, stdio: 'ignore' });
    fs.rmSync(home, { recursive: true, force: true });
  }
}
