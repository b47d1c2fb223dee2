// procfs under pbash on the Debian rootfs: ps, top, free, pidof, killall (busybox applets) and raw /proc
// reads describe the instance's own processes. Formats are checked against the host's real /proc (the
// native chroot has none): field counts and key sets, never values.
import test from 'ava';
import fs from 'node:fs';
import { getRootfs, rootfsUnavailableReason } from '../../../helpers/rootfs.js';
import { pbashShellOk } from '../../../helpers/pbash.js';

const why = rootfsUnavailableReason();
const t0 = why ? test.skip : test;
let root = '';
test.before(async () => { if (!why) root = await getRootfs(); });

/** Run a shell line under pbash; fails the test on a non-zero status. */
const sh = (t: Parameters<typeof pbashShellOk>[0], cmd: string, user?: string): Promise<string> => pbashShellOk(t, root, cmd, user);

/** Start `sleep 30` in the background and wait until /proc shows it asleep (state S). */
const SLEEPER = 'sleep 30 & s=$!; until [ "$(cut -d" " -f3 /proc/$s/stat 2>/dev/null)" = S ]; do :; done; ';
const keys = (text: string): string[] => text.split('\n').filter(Boolean).map((l) => l.split(':')[0]!);

t0('ps and top show a background sleep with its parent, command and state', async (t) => {
  const out = await sh(t, `${SLEEPER} echo "me $$ $s"; busybox ps -o pid,ppid,stat,comm,args; echo ---; busybox top -b -n1; kill $s`);
  const [, shell, sleeper] = /^me (\d+) (\d+)$/m.exec(out)!;
  const [psOut, top] = out.split('\n---\n');
  const ps = psOut!.split('\n').map((l) => l.trim().split(/\s+/));
  const row = ps.find((f) => f[0] === sleeper)!;
  t.deepEqual(row.slice(1), [shell, 'S', 'sleep', 'sleep', '30']);
  t.true(ps.some((f) => f[0] === shell && f[3] === 'sh'), 'the shell is listed as sh');
  t.regex(top!, new RegExp(`^\\s*${sleeper}\\s+${shell}\\s+root\\s+S\\s.*sleep 30$`, 'm'));
});

t0('/proc/<pid>/stat has 52 fields like the host, and status the same keys', async (t) => {
  const out = await sh(t, `${SLEEPER} cat /proc/$s/stat; echo ---; cat /proc/$s/status; kill $s`);
  const [stat, status] = out.split('---\n');
  const fields = stat!.trim().split(' ');
  t.is(fields.length, fs.readFileSync('/proc/self/stat', 'latin1').trim().split(' ').length);
  t.is(fields[1], '(sleep)');
  t.is(fields[2], 'S');
  const host = keys(fs.readFileSync('/proc/self/status', 'latin1'));
  // keys newer kernels than the 6.1 we report may add
  const newer = new Set(['Kthread', 'untag_mask', 'x86_Thread_features', 'x86_Thread_features_locked']);
  t.deepEqual(keys(status!), host.filter((k) => !newer.has(k)));
});

t0('free and /proc/meminfo agree; meminfo keys are Linux keys', async (t) => {
  const out = await sh(t, 'busybox free; cat /proc/meminfo');
  const total = /^Mem:\s+(\d+)/m.exec(out)![1];
  t.is(/^MemTotal:\s+(\d+) kB$/m.exec(out)![1], total);
  const host = new Set(keys(fs.readFileSync('/proc/meminfo', 'latin1')));
  const ours = keys(out.slice(out.indexOf('MemTotal')));
  t.deepEqual(ours.filter((k) => !host.has(k)), []);
  for (const k of ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapTotal', 'SwapFree', 'Shmem', 'SReclaimable']) {
    t.true(ours.includes(k), k);
  }
  // MemTotal is the host's, so the direct-map lines are the host kernel's own
  const hostDirect = fs.readFileSync('/proc/meminfo', 'latin1').split('\n').filter((l) => l.startsWith('DirectMap'));
  t.deepEqual(out.split('\n').filter((l) => l.startsWith('DirectMap')), hostDirect);
});

t0('/proc/sys/kernel/pid_max: root sets it within 301..4194304 (pid-alloc.test.ts: pids wrap below it); others may not write', async (t) => {
  const f = '/proc/sys/kernel/pid_max';
  const out = await sh(t, `echo 400 > ${f}; cat ${f}; for v in 300 4194305 x; do (echo $v > ${f}) 2>/dev/null || echo "$v refused"; done; cat ${f}`);
  t.deepEqual(out.trim().split('\n'), ['400', '300 refused', '4194305 refused', 'x refused', '400']);
  t.regex(await sh(t, `(echo 500 > ${f}) 2>&1 || true; cat ${f}`, 'nobody'), /Permission denied\n32768\n$/);
});

t0('pidof and killall find the sleep; the shell reaps it killed by SIGTERM', async (t) => {
  const out = await sh(t, `${SLEEPER} echo "s=$s"; busybox pidof sleep; busybox killall sleep; wait $s; echo "status $?"`);
  const s = /^s=(\d+)$/m.exec(out)![1];
  t.regex(out, new RegExp(`^${s}$`, 'm'));
  t.regex(out, /^status 143$/m);
});

t0('fd links: pipes as pipe:[ino], files by path; fdinfo gives position and flags', async (t) => {
  const out = await sh(t, 'echo | readlink /proc/self/fd/0; exec 3</etc/hostname; readlink /proc/$$/fd/3; cat /proc/$$/fdinfo/3');
  const [pipe, file, ...info] = out.trim().split('\n');
  t.regex(pipe!, /^pipe:\[\d+\]$/);
  t.is(file, '/etc/hostname');
  t.deepEqual(keys(info.join('\n')), ['pos', 'flags', 'mnt_id', 'ino']);
  t.regex(info[1]!, /^flags:\t0100000$/);
});

t0('another user may not read environ, fd/ or exe of root\'s process (EACCES), but its own', async (t) => {
  const out = await sh(t, `${SLEEPER} busybox su -s /bin/sh nobody -c "cat /proc/$s/environ; ls /proc/$s/fd; readlink -v /proc/$s/exe; `
    + `cat /proc/self/environ | tr '\\0' '\\n' | grep -c USER=nobody; readlink /proc/self/exe" 2>&1; kill $s`);
  t.regex(out, /cat: \/proc\/\d+\/environ: Permission denied/);
  t.regex(out, /ls: cannot open directory '\/proc\/\d+\/fd': Permission denied/);
  t.regex(out, /readlink: \/proc\/\d+\/exe: Permission denied/);
  t.regex(out, /^1\n\/usr\/bin\/readlink$/m);
});

t0('writes: comm (own process only), oom_score_adj, hostname (uname follows)', async (t) => {
  const out = await sh(t, `${SLEEPER} printf worker > /proc/self/comm; cat /proc/$$/comm; (printf x > /proc/$s/comm) 2>/dev/null || echo other; kill $s; `
    + 'echo -5 > /proc/$$/oom_score_adj; cat /proc/$$/oom_score_adj; '
    + 'echo 2000 > /proc/$$/oom_score_adj || echo einval; echo box1 > /proc/sys/kernel/hostname; uname -n; cat /proc/sys/kernel/hostname');
  t.is(out, 'worker\nother\n-5\neinval\nbox1\nbox1\n');
});

t0('system files: uptime, loadavg, stat, mountinfo, maps, limits in Linux formats', async (t) => {
  const out = await sh(t, 'cat /proc/uptime; echo ---; cat /proc/loadavg; echo ---; cat /proc/stat; echo ---; cat /proc/self/mountinfo; '
    + 'echo ---; cat /proc/self/maps; echo ---; cat /proc/self/limits; echo ---; busybox uptime');
  const [uptime, loadavg, stat, mountinfo, maps, limits, bbUptime] = out.split('---\n');
  t.regex(uptime!, /^\d+\.\d\d \d+\.\d\d\n$/);
  t.regex(loadavg!, /^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+\n$/);
  t.regex(stat!, /^cpu {2}(\d+ ){9}\d+\ncpu0 /);
  t.regex(stat!, /^btime \d+$/m);
  t.regex(mountinfo!, /^\d+ \d+ \d+:\d+ \/ \/proc rw[^ ]* - proc proc rw/m);
  t.regex(maps!, /^[0-9a-f]{8,}-[0-9a-f]{8,} r-xp [0-9a-f]{8} [0-9a-f]{2}:[0-9a-f]{2} \d+ {2,}\/usr\/bin\/cat$/m);
  t.is(limits!.split('\n')[0], fs.readFileSync('/proc/self/limits', 'latin1').split('\n')[0]);
  t.regex(bbUptime!, /up .* load average: /);
});
