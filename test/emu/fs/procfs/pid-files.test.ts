// /proc/<pid> files tools read beyond stat and status: smaps (pmap -x), ns/ (lsns, lsfd, nsenter), the id
// maps and personality, and /proc/devices. Key sets are checked against the host's real /proc, never values.
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

/** The keys of the first smaps block (after its maps line). */
const smapsKeys = (text: string): string[] => {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => l.startsWith('VmFlags:'));
  return lines.slice(1, end + 1).map((l) => l.split(':')[0]!);
};

t0('smaps: one block per maps line, the host\'s keys in its order; VmFlags of the stack', async (t) => {
  const out = await sh(t, 'cat /proc/self/maps; echo ---; cat /proc/self/smaps');
  const [maps, smaps] = out.split('---\n') as [string, string];
  const heads = smaps.split('\n').filter((l) => /^[0-9a-f]+-[0-9a-f]+ /.test(l));
  t.deepEqual(heads, maps.trim().split('\n'));
  // KSM: Linux 6.6; pbash reports 6.1
  t.deepEqual(smapsKeys(smaps), smapsKeys(fs.readFileSync('/proc/self/smaps', 'latin1')).filter((k) => k !== 'KSM'));
  const stack = smaps.slice(smaps.indexOf('[stack]'));
  t.regex(stack, /\nVmFlags: rd wr mr mw me gd ac \n/);
  t.regex(smaps, /^Size: +\d+ kB$/m);
  t.regex(smaps, /^THPeligible: +0$/m);
});

t0('ns/: a link per namespace, the same inode from every process, lsns and nsenter use them', async (t) => {
  const out = await sh(t, 'readlink /proc/self/ns/*; stat -L -c "%i %d %F %a" /proc/self/ns/mnt /proc/1/ns/mnt; lsns -n -o TYPE -p $$ | sort | tr "\\n" " "; echo; nsenter -t 1 -m -u -i -n -p true; echo nsenter $?; cat /proc/self/ns/net 2>&1; echo $?');
  const lines = out.split('\n');
  t.deepEqual(lines.slice(0, 10), ['cgroup:[4026531835]', 'ipc:[4026531839]', 'mnt:[4026531841]', 'net:[4026531840]', 'pid:[4026531836]',
    'pid:[4026531836]', 'time:[4026531834]', 'time:[4026531834]', 'user:[4026531837]', 'uts:[4026531838]']);
  t.is(lines[10], '4026531841 4 regular empty file 444');
  t.is(lines[11], lines[10]);
  t.is(lines[12], 'cgroup ipc mnt net pid time user uts ');
  t.is(lines[13], 'nsenter 0');
  t.regex(lines[14]!, /Invalid argument/);
});

t0('ns/ links are read as maps are: another user gets EACCES for root\'s process', async (t) => {
  const out = await sh(t, 'stat -L -c %i /proc/1/ns/uts 2>&1; echo $?; readlink /proc/self/ns/uts', 'nobody');
  t.regex(out, /Permission denied\n1\nuts:\[4026531838\]\n$/);
});

t0('uid_map, gid_map, projid_map are the identity, setgroups allows, writes are EPERM; personality follows setarch; cgroup is the root', async (t) => {
  const out = await sh(t, 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/projid_map /proc/self/setgroups /proc/self/personality; setarch x86_64 -R cat /proc/self/personality; echo deny > /proc/self/setgroups 2>/dev/null; echo $?; cat /proc/self/cgroup');
  const map = '         0          0 4294967295\n';
  t.is(out, `${map}${map}${map}allow\n00000000\n00040000\n1\n0::/\n`);
});

t0('/proc/devices names the character majors of our devices; lsfd shows mem:3 for /dev/null', async (t) => {
  const out = await sh(t, 'cat /proc/devices; exec 3</dev/null; lsfd -p $$ -n -o ASSOC,SOURCE | awk \'$1 == 3\'');
  t.regex(out, /^Character devices:\n {2}1 mem\n(.*\n)*136 pts\n\nBlock devices:\n/);
  t.regex(out, /^ +3 +mem:3$/m);
});
