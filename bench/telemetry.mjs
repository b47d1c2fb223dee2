// What the always-on telemetry (syscall counters and sampled timing for `pbash status`, issue 7: at most 3%)
// costs: the getpid loop and busybox md5sum of 64 MiB under `pbash --standalone`, with telemetry on (the
// default) and off (PBASH_TELEMETRY=0, which exists for this comparison only). bench/run.mjs prints these.
// Runs alternate on/off so a load change on the machine hits both alike, and the figure compared is the
// CPU time (user + sys) of the pbash process, not the wall time: this machine is shared.
import { measure } from './measure.mjs';

const median = (xs) => { const a = [...xs].sort((p, q) => p - q); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };

/** { id, title, rows: [{ label, on, off (minimum of the runs), ratio (on/off), pairRatio, runsOn, runsOff }] } */
export async function telemetryBench({ root, pbashBin, reps, getpidN, getpid, md5, log }) {
  const pbash = (cmd) => [process.execPath, pbashBin, '--standalone', '--root', root, '-e', ...cmd];
  // getpid per call: the loop's CPU time minus that of the same program making no calls, over the calls
  const perCall = (loop, base) => ((loop - base) / getpidN) * 1e9;
  const cases = [
    { label: `getpid per call (ns, x${getpidN})`, cmd: [getpid, String(getpidN)], base: [getpid, '0'], value: perCall },
    { label: 'md5sum 64 MiB, busybox (CPU s)', cmd: md5, value: (x) => x },
  ];
  const rows = [];
  for (const c of cases) {
    log(`bench: telemetry on/off: ${c.label} (${reps} runs each)`);
    const runs = { on: [], off: [] };
    for (let i = 0; i < reps; i++) {
      // alternate which goes first, so neither side always meets a quieter machine
      for (const on of i % 2 ? [false, true] : [true, false]) {
        const env = { ...process.env, PBASH_TELEMETRY: on ? '1' : '0' };
        runs[on ? 'on' : 'off'].push({ cmd: (await measure(pbash(c.cmd), env)).cpu, base: c.base ? (await measure(pbash(c.base), env)).cpu : 0 });
      }
    }
    // Interference from other work only adds CPU time (caches, SMT siblings), so each side's least disturbed
    // run (min) is the steadiest estimate; the median of the pairwise ratios is printed beside it.
    const least = (rs) => c.value(Math.min(...rs.map((r) => r.cmd)), Math.min(...rs.map((r) => r.base)));
    const each = (rs) => rs.map((r) => c.value(r.cmd, r.base));
    const on = each(runs.on), off = each(runs.off);
    rows.push({
      label: c.label, on: least(runs.on), off: least(runs.off), ratio: least(runs.on) / least(runs.off), pairRatio: median(on.map((x, i) => x / off[i])),
      runsOn: on.map((x) => +x.toFixed(4)), runsOff: off.map((x) => +x.toFixed(4)),
    });
  }
  return { id: 'telemetry', title: 'telemetry overhead: pbash --standalone with telemetry on vs PBASH_TELEMETRY=0 (CPU time, user+sys)', rows };
}
