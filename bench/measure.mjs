// One timed run for the benchmarks on a shared machine: the wall time of the command and its CPU time
// (user + sys of it and every child, e.g. the whole of a pipeline). bash measures both: $EPOCHREALTIME
// around the command (bash's own start-up is not counted) and `times`, which reads getrusage(RUSAGE_CHILDREN)
// to the millisecond (GNU time's %U/%S have 10 ms). When other work loads the machine, wall time measures
// the load as much as the program; CPU time much less so.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const SCRIPT = 's=$EPOCHREALTIME; "$@" >/dev/null || exit; e=$EPOCHREALTIME; times; echo "$s $e"';

/** { wall, cpu } in seconds; throws unless the command exits 0. */
export function measure(argv, env = process.env) {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/bash', ['-c', SCRIPT, 'bash', ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { if (err.length < 2048) err += b; });
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${argv.join(' ')}: exit ${code}: ${err.trim()}`));
      // `times`: our own user/sys line, then the children's ("0m1.234s 0m0.056s"); then the two clocks
      const [, kids, clocks] = out.trim().split('\n');
      const [u, s] = kids.split(' ').map((x) => { const [m, sec] = x.split('m'); return Number(m) * 60 + parseFloat(sec); });
      const [t0, t1] = clocks.split(' ').map(Number);
      resolve({ wall: t1 - t0, cpu: u + s });
    });
  });
}

/** CPU seconds (user + sys) the instance daemon of PBASH_HOME `home` has used so far; null when unknown. */
export function daemonCpu(home) {
  try {
    const { pid } = JSON.parse(fs.readFileSync(`${home}/run/instance.json`, 'utf8'));
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch { return null; }
}
