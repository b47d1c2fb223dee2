// Host programs started from inside Linux (interop, docs/interop.md), through the daemon (bench/run.mjs
// prints these; id interop for --only):
//   pipe   256 MiB Linux -> host -> Linux: `head -c 256M /dev/zero | /mnt/host/usr/bin/cat | cat` inside
//          pbash, beside the same pipeline with Linux's own cat in the middle and natively; MB/s
//   start  100 starts of /mnt/host/bin/true from a Linux shell loop, beside 100 of the distro's /bin/true
//          inside pbash and 100 natively; ms per start
//   drvfs  ls -laR of the rootfs's /usr reached through /mnt/host (DrvFs), beside the same tree as the
//          distro's own /usr and the host's ls on it
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const median = (xs) => { const a = [...xs].sort((p, q) => p - q); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };

function timed(argv, env) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (b) => { if (err.length < 2048) err += b; });
    child.on('close', (code) => {
      if (code === 0) resolve(Number(process.hrtime.bigint() - t0) / 1e9);
      else reject(new Error(`${argv.join(' ')}: exit ${code}: ${err.trim()}`));
    });
  });
}

export async function interopBench({ root, pbashBin, reps, log }) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-bench-home-'));
  const env = { ...process.env, PBASH_HOME: home };
  const inside = (cmd) => [process.execPath, pbashBin, '--root', root, '-c', cmd];
  const native = (cmd) => ['/usr/sbin/chroot', root, '/bin/sh', '-c', cmd];
  const series = async (label, argv, extra = {}) => {
    log(`bench: ${label} (${reps} runs)`);
    const runs = [];
    for (let i = 0; i < reps; i++) runs.push(await timed(argv, env));
    const m = median(runs);
    return { label, median: m, runs: runs.map((r) => +r.toFixed(4)), ...(extra.bytes ? { mbPerS: extra.bytes / 1e6 / m } : {}), ...(extra.per ? { msPer: (m * 1000) / extra.per } : {}) };
  };
  const bytes = 256 << 20;
  const out = [];
  try {
    await timed(inside('true'), env); // starts the daemon
    const pipe = (mid) => `head -c ${bytes} /dev/zero | ${mid} | cat > /dev/null`;
    out.push({
      id: 'interop-pipe', title: 'interop pipe: 256 MiB Linux -> host -> Linux inside pbash',
      rows: [
        await series('native (chroot): head | cat | cat', native(pipe('cat')), { bytes }),
        await series('pbash: head | cat | cat (all Linux)', inside(pipe('cat')), { bytes }),
        await series('pbash: head | /mnt/host/usr/bin/cat | cat', inside(pipe('/mnt/host/usr/bin/cat')), { bytes }),
      ],
    });
    const loop = (prog) => `i=0; while [ $i -lt 100 ]; do ${prog}; i=$((i+1)); done`;
    out.push({
      id: 'interop-start', title: 'interop start-up: 100 starts from a Linux sh loop',
      rows: [
        await series('native (chroot): /bin/true x 100', native(loop('/bin/true')), { per: 100 }),
        await series('pbash: /bin/true x 100 (emulated)', inside(loop('/bin/true')), { per: 100 }),
        await series('pbash: /mnt/host/bin/true x 100 (host)', inside(loop('/mnt/host/bin/true')), { per: 100 }),
      ],
    });
    const usr = path.join(fs.realpathSync(root), 'usr');
    out.push({
      id: 'interop-drvfs-ls', title: 'DrvFs: ls -laR of a /usr tree (the rootfs\'s)',
      rows: [
        await series(`native: ls -laR ${usr}`, ['/bin/sh', '-c', `ls -laR '${usr}' > /dev/null`]),
        await series('pbash: ls -laR /usr (the root filesystem)', inside('ls -laR /usr > /dev/null')),
        await series(`pbash: ls -laR /mnt/host${usr} (DrvFs)`, inside(`ls -laR '/mnt/host${usr}' > /dev/null`)),
      ],
    });
  } finally {
    spawnSync(process.execPath, [pbashBin, 'shutdown'], { env, stdio: 'ignore' });
    fs.rmSync(home, { recursive: true, force: true });
  }
  return out;
}
