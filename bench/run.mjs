#!/usr/bin/env node
// npm run bench [-- --json] [--reps N] [--quick] [--only REGEX] [--getpid-n N] [--sides native,qemu,pbash]
//
// Native vs qemu-user vs pbash, side by side in one run, on the cached Debian bookworm rootfs:
//   md5sum of 64 MiB (static busybox; Debian's dynamic md5sum), a getpid loop (bench/getpid-loop.c,
//   compiled here with gcc -static), `ls -laR /usr`, start-up of `true` (Debian's and busybox's),
//   8 CPU-bound threads (bench/threads-hash.c), and process creation from sh: a fork+exec+wait loop
//   (spawns/s), a script spawning 500 processes (procs/s), a 256 MiB pipe.
// Then the client through the daemon (bench/client.mjs): `pbash -c true` warm and cold beside `node -e 0`
// and native `sh -c true`, and a 256 MiB host -> Linux -> host pipe through `pbash -c cat` (ids
// client-true, pipe-pbash-cat for --only), host programs started from inside (bench/interop.mjs, id
// interop: a 256 MiB Linux -> host -> Linux pipe, 100 starts of /mnt/host/bin/true, ls -laR over DrvFs), and filesystem work
// on an installed debian distro (VolFs) beside the host filesystem (bench/volfs.mjs, id volfs): tar xf of
// 10,000 files, find, ls -laR, du, dpkg -l.
// And what telemetry costs (bench/telemetry.mjs, id telemetry): getpid and md5sum with it on and off.
// Each scenario runs a few times per side; the median wall time is reported with the ratios
// pbash/native and pbash/qemu, the max RSS (GNU time), and whether the output matched native's.
// The getpid loop runs with N calls and with 0 calls: per-call cost = (t(N) - t(0)) / N.
//
// How each side runs a guest command line (guest paths):
//   native  static binaries directly on the host (paths mapped into the rootfs); dynamic ones with
//           `chroot ROOT` (one extra exec: chroot(1) itself, ~1 ms)
//   qemu    `qemu-x86_64 -L ROOT ROOT/PROG ARGS` (Debian's qemu-user; -L maps guest absolute paths)
//   pbash   `node bin/pbash --standalone --root ROOT -e PROG ARGS`
// Benchmarks are never assertions: this prints numbers, it does not judge them.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheBase, ensureRootfs } from '../rootfs-tools/build-rootfs.mjs';
import { clientPipe, clientStartup } from './client.mjs';
import { volfsBench } from './volfs.mjs';
import { telemetryBench } from './telemetry.mjs';
import { interopBench } from './interop.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : dflt; };
const json = argv.includes('--json');
const quick = argv.includes('--quick');
const reps = Number(opt('--reps', quick ? 1 : 3));
const only = opt('--only') ? new RegExp(opt('--only')) : null;
const getpidN = Number(opt('--getpid-n', quick ? 100000 : 1000000));
const sides = opt('--sides', 'native,qemu,pbash').split(',');
const log = (s) => { if (!json) process.stderr.write(`${s}\n`); };

// ---- preparation: rootfs, data file, getpid program (inside the rootfs, so every side sees them)
const root = ensureRootfs({ log });
const G = '/var/tmp/pbash-bench';
const H = path.join(root, G);
fs.mkdirSync(H, { recursive: true });

const DATA = `${G}/data-64m`;
const dataHost = path.join(root, DATA);
if (!fs.existsSync(dataHost) || fs.statSync(dataHost).size !== 64 << 20) {
  log('bench: writing the 64 MiB data file');
  const chunk = Buffer.alloc(1 << 20);
  let x = 0x12345678;
  const fd = fs.openSync(dataHost, 'w');
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < chunk.length; j += 4) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; chunk.writeInt32LE(x | 0, j); }
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
}

/** Compile bench/NAME.c with gcc -static into the rootfs (when missing or older than its source); returns the guest path. */
function compileBench(name, extra = []) {
  const guest = `${G}/${name}`;
  const host = path.join(root, guest);
  const src = path.join(here, `${name}.c`);
  if (!fs.existsSync(host) || fs.statSync(host).mtimeMs < fs.statSync(src).mtimeMs) {
    log(`bench: gcc -static ${name}.c`);
    const r = spawnSync('gcc', ['-static', '-O2', ...extra, '-o', host, src], { encoding: 'utf8' });
    if (r.status !== 0) { process.stderr.write(`bench: gcc failed: ${r.stderr || r.error}\n`); process.exit(1); }
  }
  return guest;
}
const GETPID = compileBench('getpid-loop');
const THASH = compileBench('threads-hash', ['-pthread']);

// ---- scenarios (guest command lines)
const BB = '/usr/local/bin/busybox';
const scenarios = [
  { id: 'md5sum-busybox', title: 'md5sum 64 MiB (busybox, static)', cmd: [BB, 'md5sum', DATA], isStatic: true, check: true },
  { id: 'md5sum-debian', title: 'md5sum 64 MiB (Debian, dynamic)', cmd: ['/usr/bin/md5sum', DATA], check: true },
  { id: 'getpid', title: `getpid loop x${getpidN} (static)`, cmd: [GETPID, String(getpidN)], base: [GETPID, '0'], isStatic: true },
  { id: 'ls-laR-usr', title: 'ls -laR /usr (Debian, dynamic)', cmd: ['/usr/bin/ls', '-laR', '/usr'], check: true },
  { id: 'true-debian', title: 'start-up: /usr/bin/true (dynamic)', cmd: ['/usr/bin/true'], startup: true },
  { id: 'true-busybox', title: 'start-up: busybox true (static)', cmd: [BB, 'true'], isStatic: true, startup: true },
  { id: 'threads-hash', title: '8 threads x 16 MiB FNV-1a hash (static, CPU-bound)', cmd: [THASH, '8', '16'], isStatic: true, check: true },
  // processes: qemu-user has no chroot of its own and would run the spawned children natively, so no qemu side
  { id: 'spawn-true', title: 'sh loop: fork+exec+wait /bin/true x200', cmd: ['/bin/sh', '-c', 'i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i+1)); done'], noQemu: true, rate: { count: 200, unit: 'spawns/s' } },
  // 125 rounds of a 3-stage pipeline (dash forks the echo stage) and /bin/true: 500 processes
  { id: 'spawn-500', title: 'sh script spawning 500 processes (pipelines + true)', cmd: ['/bin/sh', '-c', 'i=0; while [ $i -lt 125 ]; do echo $i | tr 0-9 a-j | cat >/dev/null; /bin/true; i=$((i+1)); done'], noQemu: true, rate: { count: 500, unit: 'procs/s' } },
  { id: 'pipe-dd-cat', title: 'dd bs=64k count=4096 | cat (256 MiB pipe)', cmd: ['/bin/sh', '-c', 'dd if=/dev/zero bs=64k count=4096 2>/dev/null | cat >/dev/null'], noQemu: true },
].filter((s) => !only || only.test(s.id));

const qemu = ['/usr/bin/qemu-x86_64', '/usr/bin/qemu-x86_64-static'].find((p) => fs.existsSync(p));
const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const pbashBin = path.join(repo, 'bin', 'pbash');

/**
 * Host command line for a guest command line on one side (null when the side is unavailable).
 * Static programs on the native side and every program under qemu get host paths for the program and
 * for absolute-path arguments (qemu's -L only redirects some system calls: it serves the dynamic loader
 * and libraries, but e.g. statx of a guest path would see the host's tree). Outputs are compared with
 * the rootfs prefix stripped.
 */
function hostCommand(side, s, cmd) {
  const toHost = (a) => (a.startsWith('/') ? path.join(root, a) : a);
  if (side === 'native') return s.isStatic ? cmd.map(toHost) : ['/usr/sbin/chroot', root, ...cmd];
  if (side === 'qemu') return qemu && !s.noQemu ? [qemu, '-L', root, ...cmd.map(toHost)] : null;
  if (side === 'pbash') return fs.existsSync(pbashBin) ? [process.execPath, pbashBin, '--standalone', '--root', root, '-e', ...cmd] : null;
  return null;
}

/** Hash of stdout with the rootfs prefix removed (host-path runs print host paths). */
function outputDigest(b) {
  return crypto.createHash('sha256').update(b.toString('latin1').split(root).join('')).digest('hex');
}

/** One timed run: wall seconds, max RSS (KiB, via GNU time), exit status, stdout hash and size, stderr. */
function runOnce(command) {
  const rssFile = path.join(os.tmpdir(), `pbash-bench-rss-${process.pid}`);
  const full = gnuTime ? [gnuTime, '-f', '%M', '-o', rssFile, ...command] : command;
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let bytes = 0;
    let err = '';
    child.stdout.on('data', (b) => { out.push(b); bytes += b.length; });
    child.stderr.on('data', (b) => { if (err.length < 4096) err += b; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('close', (code, signal) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      clearTimeout(timer);
      let rssKiB = null;
      try { rssKiB = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) || null; fs.unlinkSync(rssFile); } catch { /* no GNU time */ }
      resolve({ wall, rssKiB, status: code ?? 128 + (os.constants.signals[signal] ?? 0), out: outputDigest(Buffer.concat(out)), bytes, err: err.trim() });
    });
  });
}

const median = (xs) => { const a = [...xs].sort((p, q) => p - q); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };

async function measure(side, s, cmd, n) {
  const command = hostCommand(side, s, cmd);
  if (!command) return { available: false, error: side === 'qemu' ? (s.noQemu ? 'not comparable under qemu-user' : 'qemu-x86_64 not installed') : 'bin/pbash missing' };
  const runs = [];
  for (let i = 0; i < n; i++) {
    const r = await runOnce(command);
    runs.push(r);
    // GNU time exits with the program's status; a failing program makes the side "failed".
    if (r.status !== 0) break;
  }
  const last = runs[runs.length - 1];
  if (last.status !== 0) return { available: true, failed: true, status: last.status, error: last.err.split('\n').filter((l) => !/^Command exited/.test(l))[0] ?? `exit ${last.status}` };
  return {
    available: true,
    failed: false,
    median: median(runs.map((r) => r.wall)),
    runs: runs.map((r) => +r.wall.toFixed(4)),
    maxRssKiB: Math.max(...runs.map((r) => r.rssKiB ?? 0)) || null,
    out: last.out,
    bytes: last.bytes,
  };
}

// ---- run
const results = [];
for (const s of scenarios) {
  const n = s.startup ? Math.max(reps, quick ? 3 : 10) : reps;
  const row = { id: s.id, title: s.title, command: s.cmd.join(' '), sides: {} };
  for (const side of sides) {
    log(`bench: ${s.id} on ${side} (${n} runs)`);
    const m = await measure(side, s, s.cmd, n);
    if (s.base && m.available && !m.failed) {
      const b = await measure(side, s, s.base, n);
      if (!b.failed) { m.baseMedian = b.median; m.perCallNs = ((m.median - b.median) / getpidN) * 1e9; }
    }
    if (s.rate && m.available && !m.failed) m.rate = s.rate.count / m.median;
    row.sides[side] = m;
  }
  const nat = row.sides.native;
  for (const side of sides) {
    const m = row.sides[side];
    if (s.check && nat && !nat.failed && m && !m.failed && m.available) m.outputMatchesNative = m.out === nat.out;
  }
  const ratio = (a, b) => (a && b && !a.failed && !b.failed && a.available && b.available ? a.median / b.median : null);
  row.ratios = {
    pbash_native: ratio(row.sides.pbash, row.sides.native),
    pbash_qemu: ratio(row.sides.pbash, row.sides.qemu),
    qemu_native: ratio(row.sides.qemu, row.sides.native),
  };
  results.push(row);
}

const client = [];
if (sides.includes('pbash') && fs.existsSync(pbashBin)) {
  const n = Math.max(reps, quick ? 3 : 10);
  if (!only || only.test('client-true')) client.push(await clientStartup({ root, pbashBin, n, log }));
  if (!only || only.test('pipe-pbash-cat')) client.push(await clientPipe({ root, pbashBin, reps, log }));
  if (!only || only.test('interop')) client.push(...await interopBench({ root, pbashBin, reps, log }));
}

let telemetry = null;
if (sides.includes('pbash') && fs.existsSync(pbashBin) && (!only || only.test('telemetry'))) {
  // five times the calls of the getpid row, seven pairs at least: a 3% difference has to stand out of the noise
  telemetry = await telemetryBench({ repo, root, reps: quick ? reps : Math.max(reps, 7), getpidN: quick ? getpidN : getpidN * 5, getpid: GETPID, md5: [BB, 'md5sum', DATA], log });
}

let volfs = null;
if (sides.includes('pbash') && fs.existsSync(pbashBin) && (!only || only.test('volfs'))) volfs = await volfsBench({ root, pbashBin, repo, reps, log });

const meta = {
  date: new Date().toISOString(),
  host: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, kernel: os.release() },
  rootfs: root,
  reps,
  getpidN,
  notes: 'median wall seconds; native dynamic runs go through chroot(1); maxRssKiB from GNU time',
};

if (json) {
  process.stdout.write(JSON.stringify({ meta, results, client, telemetry, volfs }, null, 2) + '\n');
} else {
  const fmtT = (m) => (!m ? '-' : !m.available ? 'n/a' : m.failed ? 'FAILED' : m.median < 1 ? `${(m.median * 1000).toFixed(1)} ms` : `${m.median.toFixed(2)} s`);
  const fmtR = (r) => (r == null ? '-' : `${r.toFixed(r < 10 ? 2 : 1)}x`);
  const fmtM = (m) => (m && m.maxRssKiB ? `${Math.round(m.maxRssKiB / 1024)}` : '-');
  const mark = (m) => (m && m.outputMatchesNative === false ? ' (output differs!)' : '');
  const head = ['scenario', ...sides, 'pbash/native', 'pbash/qemu', `max RSS MiB (${sides.join('/')})`];
  const rows = results.map((r) => [
    r.title,
    ...sides.map((sd) => fmtT(r.sides[sd]) + mark(r.sides[sd])),
    fmtR(r.ratios.pbash_native),
    fmtR(r.ratios.pbash_qemu),
    sides.map((sd) => fmtM(r.sides[sd])).join('/'),
  ]);
  const gp = results.find((r) => r.id === 'getpid');
  if (gp) rows.push(['getpid per call (loop minus start-up)', ...sides.map((sd) => (gp.sides[sd]?.perCallNs != null ? `${gp.sides[sd].perCallNs.toFixed(0)} ns` : '-')), '', '', '']);
  for (const r of results.filter((x) => scenarios.find((s) => s.id === x.id)?.rate)) {
    const { unit } = scenarios.find((s) => s.id === r.id).rate;
    rows.push([`${r.id}: ${unit}`, ...sides.map((sd) => (r.sides[sd]?.rate != null ? `${r.sides[sd].rate.toFixed(0)}` : '-')), '', '', '']);
  }
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  if (results.length) {
    console.log(`pbash bench — ${meta.host.cpu ?? ''}, ${meta.host.cpus} cpus, node ${meta.host.node}; median of ${reps} (start-up: ${Math.max(reps, quick ? 3 : 10)})`);
    console.log(line(head));
    console.log(w.map((n) => '-'.repeat(n)).join('  '));
    for (const r of rows) console.log(line(r));
    for (const r of results) for (const sd of sides) {
      const m = r.sides[sd];
      if (m?.failed) console.log(`  ${r.id} on ${sd} failed: ${m.error}`);
    }
    console.log('native: static binaries run directly, dynamic ones via chroot(1); qemu: qemu-x86_64 -L ROOT; pbash: --standalone --root ROOT -e');
  }
  for (const c of client) {
    console.log(`\n${c.title} (median of ${c.rows[0].runs.length})`);
    const lw = Math.max(...c.rows.map((r) => r.label.length));
    const fmt = (x) => (x < 1 ? `${(x * 1000).toFixed(1)} ms` : `${x.toFixed(2)} s`);
    for (const r of c.rows) {
      const cpu = r.cpu != null ? `  (cpu ${fmt(r.cpu)}${r.daemonCpu != null ? ` + daemon ${fmt(r.daemonCpu)}` : ''})` : '';
      console.log(`  ${r.label.padEnd(lw)}  ${fmt(r.median).padStart(9)}${r.mbPerS ? `  ${r.mbPerS.toFixed(0).padStart(4)} MB/s` : ''}${r.msPer ? `  ${r.msPer.toFixed(2)} ms each` : ''}${cpu}`);
    }
    if (c.ratios) console.log(`  warm / node -e 0: ${c.ratios.warm_node.toFixed(2)}x (target <= 1.5x; in CPU time ${c.ratios.warm_node_cpu.toFixed(2)}x); cold / warm: ${c.ratios.cold_warm.toFixed(2)}x (target <= 3x)`);
    else if (c.id === 'pipe-pbash-cat') console.log('  target: pbash -c cat >= 200 MB/s');
  }
  if (telemetry) {
    console.log(`\n${telemetry.title} (least of ${telemetry.rows[0].runsOn.length} alternating runs; target: on/off <= 1.03)`);
    const lw = Math.max(...telemetry.rows.map((r) => r.label.length));
    const fmt = (x) => (x >= 10 ? x.toFixed(0) : x.toFixed(3));
    for (const r of telemetry.rows) console.log(`  ${r.label.padEnd(lw)}  on ${fmt(r.on).padStart(7)}  off ${fmt(r.off).padStart(7)}  on/off ${r.ratio.toFixed(3)} (median of pairs ${r.pairRatio.toFixed(3)})`);
    const d = telemetry.dispatch;
    console.log(`  dispatch of getpid alone: ${d.onNs.toFixed(1)} ns on, ${d.offNs.toFixed(1)} ns off: +${d.addedNs.toFixed(1)} ns per call = ${(d.shareOfGetpid * 100).toFixed(1)}% of getpid's whole per-call cost`);
  }
  if (volfs) {
    console.log(`\n${volfs.title} (median of ${reps})`);
    const fmt = (x) => (x < 1 ? `${(x * 1000).toFixed(1)} ms` : `${x.toFixed(2)} s`);
    const lw = Math.max(...volfs.rows.map((r) => r.label.length));
    for (const r of volfs.rows) console.log(`  ${r.label.padEnd(lw)}  native ${fmt(r.native).padStart(9)}  pbash ${fmt(r.pbash).padStart(9)}  ${r.ratio.toFixed(1)}x`);
  }
}
