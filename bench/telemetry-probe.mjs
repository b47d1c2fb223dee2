// Runs inside one fresh Node process (spawned by bench/telemetry.mjs): two kernels on the same root, one with
// telemetry and one without, run the same program in turn, and each run's CPU time of this process is kept.
// One process for both sides: separate processes differ by more than 3% from launch to launch here
// (address layout, JIT decisions, a neighbour's load), which buried the difference being measured.
// Also times the dispatch point alone on getpid (no CPU emulation): what telemetry adds per call, in ns.
// usage: node telemetry-probe.mjs REPO ROOT REPS JSON-CASES  -> one JSON line on stdout
import fs from 'node:fs';
import path from 'node:path';

const [repo, root, repsArg, casesArg] = process.argv.slice(2);
const dist = (p) => import(path.join(repo, 'dist', p));
const { Kernel } = await dist('emu/kernel/kernel.js');
const { HostStream } = await dist('emu/fs/host-stream.js');
const { launch, exitCodeOf } = await dist('instance/launch.js');
const { dispatch } = await dist('emu/syscalls/dispatch.js');

const reps = Number(repsArg);
const cases = JSON.parse(casesArg); // [{ label, argv, base? }]
const kernels = { on: new Kernel({ root, telemetry: true }), off: new Kernel({ root, telemetry: false }) };
const devNull = fs.openSync('/dev/null', 'r+');
const stdio = [new HostStream(devNull), new HostStream(devNull), new HostStream(2)];

/** CPU milliseconds (user + sys) of one run of argv on kernel k. */
async function cpuOf(k, argv) {
  const c0 = process.cpuUsage();
  const r = launch(k, { argv, env: ['PATH=/usr/bin:/bin'], cwd: '/' }, stdio);
  if (!('proc' in r)) throw new Error(`${argv[0]}: ${r.message}`);
  const status = exitCodeOf(await r.proc.exited);
  const c = process.cpuUsage(c0);
  if (status !== 0) throw new Error(`${argv.join(' ')}: exit ${status}`);
  return (c.user + c.system) / 1e3;
}

const out = { cases: [], dispatch: null };
for (const c of cases) {
  const runs = { on: [], off: [] }, base = { on: [], off: [] };
  await cpuOf(kernels.on, c.argv); await cpuOf(kernels.off, c.argv); // warm both: JIT, engine pool, file caches
  for (let i = 0; i < reps; i++) {
    // alternate which side goes first, so neither always meets the quieter moment
    for (const side of i % 2 ? ['off', 'on'] : ['on', 'off']) {
      runs[side].push(await cpuOf(kernels[side], c.argv));
      if (c.base) base[side].push(await cpuOf(kernels[side], c.base));
    }
  }
  out.cases.push({ label: c.label, runs, base });
}

// The dispatch point alone: getpid through dispatch() with a task whose kernel has telemetry on or off.
const task = (on) => ({ kernel: { telemetry: on, strace: false }, process: { pid: 2 }, tid: 2, syscalls: 0, noSigpipe: false, seccomp: null, ptrace: null });
const words = new Uint32Array(14); words[0] = 39; // getpid
const N = 5_000_000;
const loop = (t) => { let s = 0; for (let i = 0; i < N; i++) s += dispatch(t, words); return s; };
const tasks = { on: task(true), off: task(false) };
loop(tasks.on); loop(tasks.off);
const ns = { on: [], off: [] };
for (let i = 0; i < 4 * reps; i++) {
  for (const side of i % 2 ? ['off', 'on'] : ['on', 'off']) {
    const c0 = process.cpuUsage(); loop(tasks[side]); const c = process.cpuUsage(c0);
    ns[side].push(((c.user + c.system) * 1e3) / N);
  }
}
out.dispatch = ns;
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
