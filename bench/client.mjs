// The pbash client through the instance daemon, as a user meets it (bench/run.mjs prints these):
//   start-up  `pbash -c true` warm (daemon running) and cold (no daemon: a fresh PBASH_HOME each run),
//             side by side with `node -e 0` (the floor of any Node.js program) and `sh -c true` natively
//             (chroot into the rootfs, as the other native runs); ratios warm/node and cold/warm.
//   pipe      256 MiB host -> Linux -> host: `head -c 256M /dev/zero | pbash -c cat | wc -c`, MB/s
//             (10^6 bytes per second), beside the same pipe with the host's cat.
// Each row also gives the CPU time (user + sys) of the command and its children (for the pipe: head, the
// client, wc), and for pbash the daemon's CPU time per run: on a loaded machine wall times measure the load.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { daemonCpu, measure } from './measure.mjs';

const median = (xs) => { const a = [...xs].sort((p, q) => p - q); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };

const tempHome = () => fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-bench-home-'));
const endHome = (pbash, home) => {
  spawnSync(pbash[0], [...pbash.slice(1), 'shutdown'], { env: { ...process.env, PBASH_HOME: home }, stdio: 'ignore' });
  fs.rmSync(home, { recursive: true, force: true });
};

/** A series of runs: { label, median (wall s), runs, cpu (median CPU s), daemonCpu (mean per run, s) }. */
async function series(label, n, once, home) {
  const runs = [];
  const d0 = home ? daemonCpu(home) : null;
  for (let i = 0; i < n; i++) runs.push(await once());
  const d1 = home ? daemonCpu(home) : null;
  return {
    label, median: median(runs.map((r) => r.wall)), runs: runs.map((r) => +r.wall.toFixed(4)), cpu: median(runs.map((r) => r.cpu)),
    daemonCpu: d0 !== null && d1 !== null ? (d1 - d0) / n : null,
  };
}

/** { id, title, rows, ratios } for start-up. */
export async function clientStartup({ root, pbashBin, n, log }) {
  const pbash = [process.execPath, pbashBin];
  const run = [...pbash, '--root', root, '-c', 'true'];
  const rows = [];
  const add = async (label, once, home) => { log(`bench: ${label} (${n} runs)`); const r = await series(label, n, once, home); rows.push(r); return r; };
  const node = await add('node -e 0', () => measure([process.execPath, '-e', '0']));
  await add('sh -c true (native, chroot)', () => measure(['/usr/sbin/chroot', root, '/bin/sh', '-c', 'true']));
  const home = tempHome();
  const env = { ...process.env, PBASH_HOME: home };
  let warm;
  try {
    await measure(run, env); // starts the daemon
    warm = await add('pbash -c true, warm (daemon running)', () => measure(run, env), home);
  } finally { endHome(pbash, home); }
  const cold = await add('pbash -c true, cold (no daemon)', async () => {
    const h = tempHome();
    try { return await measure(run, { ...process.env, PBASH_HOME: h }); } finally { endHome(pbash, h); }
  });
  return {
    id: 'client-true', title: 'start-up: pbash -c true through the daemon', rows,
    ratios: { warm_node: warm.median / node.median, cold_warm: cold.median / warm.median, warm_node_cpu: warm.cpu / node.cpu },
  };
}

/** 256 MiB through `pbash -c cat` and through the host's cat; MB/s for both. */
export async function clientPipe({ root, pbashBin, reps, log }) {
  const bytes = 256 << 20;
  const line = (mid) => `head -c ${bytes} /dev/zero | ${mid} | wc -c >/dev/null`;
  const home = tempHome();
  const env = { ...process.env, PBASH_HOME: home };
  const rows = [];
  try {
    await measure([process.execPath, pbashBin, '--root', root, '-c', 'true'], env); // starts the daemon
    for (const [label, mid] of [['host cat', 'cat'], ['pbash -c cat (warm)', `'${process.execPath}' '${pbashBin}' --root '${root}' -c cat`]]) {
      log(`bench: pipe 256 MiB through ${label} (${reps} runs)`);
      const r = await series(label, reps, () => measure(['/bin/sh', '-c', line(mid)], env), mid === 'cat' ? null : home);
      rows.push({ ...r, mbPerS: bytes / 1e6 / r.median });
    }
  } finally { endHome([process.execPath, pbashBin], home); }
  return { id: 'pipe-pbash-cat', title: 'pipe: 256 MiB host -> Linux -> host', rows };
}
