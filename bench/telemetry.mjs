// What the always-on telemetry (syscall counters and sampled timing for `pbash status`, issue 7: at most 3%)
// costs on the getpid loop and busybox md5sum of 64 MiB: one Node process runs a kernel with telemetry and
// one without in alternation (bench/telemetry-probe.mjs) and compares the CPU time of the runs, plus the
// dispatch point alone on getpid (ns added per call, over the whole per-call cost of getpid).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const median = (xs) => { const a = [...xs].sort((p, q) => p - q); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };
const least = (xs) => Math.min(...xs);

function probe(repo, root, reps, cases) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'telemetry-probe.mjs'), repo, root, String(reps), JSON.stringify(cases)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b) => { out += b; });
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`telemetry probe: exit ${code}`))));
  });
}

/** { id, title, rows: [{ label, on, off (least of the runs), ratio (on/off), pairRatio, runsOn, runsOff }], dispatch } */
export async function telemetryBench({ repo, root, reps, getpidN, getpid, md5, log }) {
  log(`bench: telemetry on/off in one process (${reps} alternating runs each)`);
  const r = await probe(repo, root, reps, [
    { label: `getpid per call (ns, x${getpidN})`, argv: [getpid, String(getpidN)], base: [getpid, '0'] },
    { label: 'md5sum 64 MiB, busybox (CPU ms)', argv: md5 },
  ]);
  const rows = r.cases.map((c) => {
    // getpid: the loop minus the same program making no calls, per call; md5sum: the whole run
    const value = c.base.on.length ? (ms, side, i) => ((ms - c.base[side][i]) / getpidN) * 1e6 : (ms) => ms;
    const on = c.runs.on.map((ms, i) => value(ms, 'on', i)), off = c.runs.off.map((ms, i) => value(ms, 'off', i));
    // interference only adds CPU time (caches, SMT siblings): each side's least disturbed run is the steadiest
    return {
      label: c.label, on: least(on), off: least(off), ratio: least(on) / least(off), pairRatio: median(on.map((x, i) => x / off[i])),
      runsOn: on.map((x) => +x.toFixed(2)), runsOff: off.map((x) => +x.toFixed(2)),
    };
  });
  const added = least(r.dispatch.on) - least(r.dispatch.off);
  const getpidRow = rows[0];
  const dispatch = { onNs: least(r.dispatch.on), offNs: least(r.dispatch.off), addedNs: added, shareOfGetpid: added / getpidRow.off };
  return { id: 'telemetry', title: 'telemetry overhead: kernel with telemetry vs without, alternating in one process (CPU time)', rows, dispatch };
}
