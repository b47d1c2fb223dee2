// procps (ps, top, free, uptime, pgrep, pkill) and psmisc (killall) on the Debian rootfs, reading pbash's
// /proc about the instance's own processes. The rootfs builder includes both packages; a tree built
// before that lacks them and these tests skip (rebuild: node rootfs-tools/build-rootfs.mjs --force).
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { getRootfs, rootfsPath, rootfsUnavailableReason } from '../../../helpers/rootfs.js';
import { pbashShell } from '../../../helpers/pbash.js';

const why = rootfsUnavailableReason()
  ?? (fs.existsSync(path.join(rootfsPath(), 'usr/bin/ps')) ? null : 'the rootfs has no procps (built before it was included)');
const t0 = why ? test.skip : test;
if (why) test.skip(`procps: ${why}`, () => undefined);
let root = '';
test.before(async () => { if (!why) root = await getRootfs(); });

const SLEEPER = 'sleep 30 & s=$!; until [ "$(cut -d" " -f3 /proc/$s/stat 2>/dev/null)" = S ]; do :; done; echo "me $$ $s"; ';

async function sh(cmd: string): Promise<{ out: string; me: string; s: string }> {
  const r = await pbashShell(root, cmd);
  const out = r.stdout.toString('latin1');
  const [, me = '', s = ''] = /^me (\d+) (\d+)$/m.exec(out) ?? [];
  return { out: `${out}${r.stderr.toString('latin1')}`, me, s };
}

t0('ps -ef and ps aux: the sleep with its parent, state S and command line', async (t) => {
  const { out, me, s } = await sh(`${SLEEPER} ps -ef; echo ---; ps aux; kill $s`);
  const [ef, aux] = out.split('\n---\n');
  t.regex(ef!, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/m);
  t.regex(ef!, new RegExp(`^root\\s+${s}\\s+${me}\\s+\\d+\\s+\\S+\\s+\\?\\s+\\d\\d:\\d\\d:\\d\\d sleep 30$`, 'm'));
  t.regex(aux!, new RegExp(`^root\\s+${s}\\s+[\\d.]+\\s+[\\d.]+\\s+\\d+\\s+\\d+ \\?\\s+S\\s+.* sleep 30$`, 'm'));
});

t0('top -b -n1 lists the sleep; free agrees with /proc/meminfo; uptime reads /proc/uptime', async (t) => {
  const { out, s } = await sh(`${SLEEPER} top -b -n1; echo ---; free -k; grep MemTotal /proc/meminfo; uptime; kill $s`);
  t.regex(out, new RegExp(`^\\s*${s} root\\s+20\\s+0\\s+\\d+\\s+\\d+\\s+\\d+ S\\s.* sleep\\s*$`, 'm'));
  const total = /^Mem:\s+(\d+)/m.exec(out)?.[1];
  t.is(/^MemTotal:\s+(\d+) kB$/m.exec(out)?.[1], total);
  t.regex(out, /^ \d\d:\d\d:\d\d up .*load average: [\d.]+, [\d.]+, [\d.]+$/m);
});

t0('pgrep finds the sleep, pkill and killall end it with SIGTERM', async (t) => {
  const { out, s } = await sh(`${SLEEPER} pgrep -x sleep; pkill -x sleep; wait $s; echo "pkill $?"; `
    + `sleep 30 & s2=$!; until [ "$(cut -d" " -f3 /proc/$s2/stat 2>/dev/null)" = S ]; do :; done; killall sleep; wait $s2; echo "killall $?"`);
  t.regex(out, new RegExp(`^${s}$`, 'm'));
  t.regex(out, /^pkill 143$/m);
  t.regex(out, /^killall 143$/m);
});

t0('pid 1 is init: ps shows it as the root of the tree, /proc/1 answers, orphans move under it, signals to it are dropped', async (t) => {
  const { out } = await sh('(sleep 30 & echo "orphan $!"); ps -o pid=,ppid=,stat=,comm= -p 1; cat /proc/1/comm; '
    + 'kill -0 1 && echo alive; kill -KILL 1; kill -0 1 && echo still; ps -o ppid= -p "$(cat /proc/[0-9]*/stat 2>/dev/null | awk \'$2 == "(sleep)" {print $1; exit}\')"; pkill -x sleep');
  t.regex(out, /^\s*1\s+0\s+S\S*\s+init$/m);
  t.regex(out, /^init$/m);
  t.regex(out, /^alive\nstill$/m);
  t.regex(out, /^\s*1$/m, 'the orphaned sleep has ppid 1');
});

t0('vmstat reads /proc/vmstat, /proc/stat and /proc/meminfo; vmstat -d finds no disks', async (t) => {
  const { out } = await sh('vmstat; echo "status $?"; vmstat -s | grep -c "total memory"; vmstat -d; echo "disks $?"');
  t.regex(out, /^ r  b\s+swpd\s+free\s+buff\s+cache/m);
  t.regex(out, /^status 0$/m);
  t.regex(out, /^1$/m);
  t.regex(out, /^disks 0$/m);
});
