// The pbash client through the instance daemon, as a user meets it (bench/run.mjs prints these):
//   start-up  `pbash -c true` warm (daemon running) and cold (no daemon: a fresh PBASH_HOME each run),
//             side by side with `node -e 0` (the floor of any Node.js program) and `sh -c true` natively
//             (chroot into the rootfs, as the other native runs); ratios warm/node and cold/warm.
//   pipe      256 MiB host -> Linux -> host: `head -c 256M /dev/zero | pbash -c cat | wc -c`, MB/s
//             (10^6 bytes per second), beside the same pipe with the host's cat.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const median = (xs) => { const a = [...xs].sort((p, q) => p - q); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };

/** Wall seconds of one run; throws unless it exits 0. */
function timed(argv, env = process.env) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (b) => { if (err.length < 2048) err += b; });
    child.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code === 0) resolve(wall); else reject(new Error(`${argv.join(' ')}: exit ${code}: ${err.trim()}`));
    });
  });
}

const tempHome = () => fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-bench-home-'));
const endHome = (pbash, home) => {
  spawnSync(pbash[0], [...pbash.slice(1), 'shutdown'], { env: { ...process.env, PBASH_HOME: home }, stdio: 'ignore' });
  fs.rmSync(home, { recursive: true, force: true });
};

/** { id, title, rows: [{ label, median, runs }], ratios } for start-up. */
export async function clientStartup({ root, pbashBin, n, log }) {
  const pbash = [process.execPath, pbashBin];
  const run = [...pbash, '--root', root, '-c', 'true'];
  const rows = [];
  const series = async (label, once) => {
    log(`bench: ${label} (${n} runs)`);
    const runs = [];
    for (let i = 0; i < n; i++) runs.push(await once());
    rows.push({ label, median: median(runs), runs: runs.map((r) => +r.toFixed(4)) });
    return median(runs);
  };
  const node = await series('node -e 0', () => timed([process.execPath, '-e', '0']));
  await series('sh -c true (native, chroot)', () => timed(['/usr/sbin/chroot', root, '/bin/sh', '-c', 'true']));
  const home = tempHome();
  const env = { ...process.env, PBASH_HOME: home };
  let warm;
  try {
    await timed(run, env); // starts the daemon
    warm = await series('pbash -c true, warm (daemon running)', () => timed(run, env));
  } finally { endHome(pbash, home); }
  const cold = await series('pbash -c true, cold (no daemon)', async () => {
    const h = tempHome();
    try { return await timed(run, { ...process.env, PBASH_HOME: h }); } finally { endHome(pbash, h); }
  });
  return { id: 'client-true', title: 'start-up: pbash -c true through the daemon', rows, ratios: { warm_node: warm / node, cold_warm: cold / warm } };
}

/** 256 MiB through `pbash -c cat` and through the host's cat; MB/s for both. */
export async function clientPipe({ root, pbashBin, reps, log }) {
  const bytes = 256 << 20;
  const line = (mid) => `head -c ${bytes} /dev/zero | ${mid} | wc -c >/dev/null`;
  const home = tempHome();
  const env = { ...process.env, PBASH_HOME: home };
  const rows = [];
  try {
    await timed([process.execPath, pbashBin, '--root', root, '-c', 'true'], env); // starts the daemon
    for (const [label, mid] of [['host cat', 'cat'], ['pbash -c cat (warm)', `'${process.execPath}' '${pbashBin}' --root '${root}' -c cat`]]) {
      log(`bench: pipe 256 MiB through ${label} (${reps} runs)`);
      const runs = [];
      for (let i = 0; i < reps; i++) runs.push(await timed(['/bin/sh', '-c', line(mid)], env));
      const m = median(runs);
      rows.push({ label, median: m, runs: runs.map((r) => +r.toFixed(4)), mbPerS: bytes / 1e6 / m });
    }
  } finally { endHome([process.execPath, pbashBin], home); }
  return { id: 'pipe-pbash-cat', title: 'pipe: 256 MiB host -> Linux -> host', rows };
}
