// Host programs started from inside Linux (interop, issue #6): /mnt/host/... executables run on the host as
// proxy processes, mixed with Linux programs in pipelines, byte-exact both ways, with exit statuses, kill,
// ps and /proc, the cwd translated, /dev/null and guest files as stdio, and a host program on the session
// terminal (its own host pseudo-terminal, ^C reaching it), the distro's [interop] switch and PBASHENV. The oracle is the host itself: the same host
// programs' output run natively, and checksums of what went in.
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';
import { pbashBin } from '../helpers/pbash.js';
import { onPty, type PtySession } from '../helpers/pty.js';
import { daemonLog, endAllHomes, homeEnv, pbashIn, tempHome } from '../instance/homes.js';

const why = rootfsUnavailableReason() ?? (process.platform === 'linux' ? null : 'needs a Linux host (its /usr/bin programs)');
const t0 = why ? test.skip : test.serial;
if (why) test.skip(`host programs from inside: ${why}`, () => undefined);

let root = '';
const home = tempHome();
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-interop-')));
test.before(async () => { if (!why) root = await getRootfs(); });
test.after.always(async () => { await endAllHomes(); fs.rmSync(tmp, { recursive: true, force: true }); });

const pb = (args: string[], opts: Parameters<typeof pbashIn>[2] = {}) => pbashIn(home, ['--root', root, ...args], opts);
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const H = '/mnt/host';

t0('echo abc | /mnt/host/usr/bin/tr a-z A-Z | cat: bytes exact, statuses of every stage', async (t) => {
  const b = await pb(['-e', '/bin/bash', '-c', `echo abc | ${H}/usr/bin/tr a-z A-Z | cat; echo "\${PIPESTATUS[*]}"`]);
  t.is(b.stdout.toString(), 'ABC\n0 0 0\n', b.stderr.toString());
  t.is(b.exitCode, 0);
});

t0('50 MiB through a host cat in a Linux pipeline: sha256 equal, Linux→host and host→Linux', async (t) => {
  const size = 50 * 1024 * 1024;
  const input = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) input.writeUInt32LE((Math.imul(i, 2654435761) ^ (i >>> 7)) >>> 0, i);
  const r = await pb(['-c', `cat | ${H}/usr/bin/cat | cat`], { input, timeout: 600_000 });
  t.is(r.exitCode, 0, r.stderr.toString());
  t.is(r.stdout.length, size);
  t.is(sha(r.stdout), sha(input));
  // a stream made inside Linux read by a host program, and one made by a host program read inside Linux
  const zeros = sha(Buffer.alloc(size));
  const a = await pb(['-c', `head -c ${size} /dev/zero | ${H}/usr/bin/sha256sum; ${H}/usr/bin/head -c ${size} /dev/zero | sha256sum`], { timeout: 600_000 });
  t.is(a.stdout.toString(), `${zeros}  -\n${zeros}  -\n`, a.stderr.toString());
});

t0('every direction with the host\'s own programs (coreutils and node): host -> Linux -> host, and inside Linux -> host -> Linux', async (t) => {
  const PB = `'${process.execPath}' '${pbashBin}' --root '${root}'`;
  const hostSide = execFileSync('/bin/sh', ['-c',
    `printf 'b x\\na\\nc x\\n' | ${PB} -c 'grep x' | sort; '${process.execPath}' -e 'console.log("n1 x\\nn2")' | ${PB} -c 'grep x' | sort -r`],
  { env: homeEnv(home) }).toString();
  t.is(hostSide, 'b x\nc x\nn1 x\n');
  const inside = await pb(['-c', `seq 100000 | ${H}/usr/bin/sort -n | tail -1; seq 3 | ${H}${process.execPath} -e 'process.stdin.pipe(process.stdout)' | tac`]);
  t.is(inside.stdout.toString(), '100000\n3\n2\n1\n', inside.stderr.toString());
});

t0('512 MiB through Linux -> host -> Linux, byte-exact, no deadlock', async (t) => {
  const total = 512 << 20, chunk = 1 << 20;
  const child = spawn(process.execPath, [pbashBin, '--root', root, '-c', `cat | ${H}/usr/bin/cat | cat`], { env: homeEnv(home), stdio: ['pipe', 'pipe', 'inherit'] });
  const sent = createHash('sha256'), got = createHash('sha256');
  let received = 0;
  child.stdout.on('data', (b: Buffer) => { got.update(b); received += b.length; });
  const closed = new Promise<number | null>((r) => child.on('close', r));
  const block = Buffer.alloc(chunk);
  for (let off = 0; off < total; off += chunk) {
    for (let i = 0; i < chunk; i += 4) block.writeUInt32LE((Math.imul(off + i, 2654435761) ^ ((off + i) >>> 11)) >>> 0, i);
    sent.update(block);
    if (!child.stdin.write(block)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  t.is(await closed, 0);
  t.is(received, total);
  t.is(got.digest('hex'), sent.digest('hex'));
});

t0('exit statuses pass through; a host program killed by SIGPIPE is 141 as on Linux', async (t) => {
  const r = await pb(['-e', '/bin/bash', '-c',
    `${H}/bin/sh -c 'exit 7'; echo $?; ${H}/bin/false; echo $?; ${H}/usr/bin/yes | head -n 2; echo "\${PIPESTATUS[*]}"`]);
  t.is(r.stdout.toString(), '7\n1\ny\ny\n141 0\n', r.stderr.toString());
});

t0('kill -TERM of a host sleep: wait says 143; the proxy is in ps and /proc under its name', async (t) => {
  const secs = `${600 + Math.floor(Math.random() * 1e6)}.5`; // a command line no other program has
  const r = await pb(['-e', '/bin/bash', '-c', `${H}/usr/bin/sleep ${secs} & p=$!
    until [ "$(cat /proc/$p/comm)" = sleep ]; do :; done
    ps -o comm= -p $p; tr '\\0' ' ' < /proc/$p/cmdline; echo; readlink /proc/$p/exe
    kill -TERM $p; wait $p; echo "status $?"`], { timeout: 120_000 });
  t.is(r.stdout.toString(), `sleep\n${H}/usr/bin/sleep ${secs} \n${H}/usr/bin/sleep\nstatus 143\n`, r.stderr.toString());
  // the host process is gone with it
  t.false(execFileSync('ps', ['-eo', 'args']).toString().includes(secs));
});

t0('pbash status --json shows a running host program as its Linux proxy with the host pid', async (t) => {
  const secs = `${600 + Math.floor(Math.random() * 1e6)}.25`;
  const session = spawn(process.execPath, [pbashBin, '--root', root, '-c', `${H}/usr/bin/sleep ${secs}`], { env: homeEnv(home), stdio: 'ignore' });
  const ended = new Promise((r) => session.on('close', r));
  let proxy: { pid: number; hostPid?: number; cmdline: string[] } | undefined;
  for (const end = Date.now() + 60_000; !proxy?.hostPid && Date.now() < end;) {
    const st = JSON.parse((await pbashIn(home, ['status', '--json'])).stdout.toString()) as { distros?: Array<{ processes: NonNullable<typeof proxy>[] }> };
    proxy = st.distros?.flatMap((d) => d.processes).find((p) => p.cmdline.join(' ') === `${H}/usr/bin/sleep ${secs}`);
    if (!proxy?.hostPid) await new Promise((r) => setTimeout(r, 100));
  }
  t.truthy(proxy?.hostPid, 'the proxy and its host pid are listed');
  const hostArgs = execFileSync('ps', ['-o', 'args=', '-p', String(proxy!.hostPid)]).toString().trim();
  t.true(hostArgs.endsWith(`sleep ${secs}`), hostArgs); // the host process of that pid is the program
  process.kill(proxy!.hostPid!, 'SIGTERM');
  await ended;
});

t0('cwd: under /mnt/host the host sees the same directory; elsewhere one warning and the host home', async (t) => {
  const dir = path.join(tmp, 'x y');
  fs.mkdirSync(dir);
  const r = await pb(['-c', `cd '${H}${dir}' && ${H}/bin/pwd && cd / && ${H}/bin/pwd`]);
  t.is(r.exitCode, 0, r.stderr.toString());
  t.is(r.stdout.toString(), `${dir}\n${os.homedir()}\n`);
  t.is(r.stderr.toString(), `pbash: warning: / is not on a host drive; ${H}/usr/bin/pwd starts in the host home directory\n`);
});

t0('stdin from /dev/null, output to a guest file on the distro root, appends in order', async (t) => {
  const image = execFileSync(process.execPath, [path.join(path.dirname(pbashBin), '..', 'rootfs-tools', 'build-image.mjs'), 'busybox']).toString().trim();
  t.true(fs.existsSync(image));
  const inst = await pbashIn(home, ['install', 'busybox', '--name', 'bb'], { timeout: 180_000 });
  t.is(inst.exitCode, 0, inst.stderr.toString());
  const r = await pbashIn(home, ['-d', 'bb', '-c', `${H}/usr/bin/cat < /dev/null; echo "cat $?"
    echo one > /root/f; ${H}/bin/echo two >> /root/f; ${H}/usr/bin/printf 'three\\n' >> /root/f 2>/dev/null; echo four >> /root/f
    cat /root/f; ${H}/usr/bin/wc -c < /root/f; ${H}/usr/bin/sha256sum < /root/f > /root/sum; cat /root/sum`]);
  const f = 'one\ntwo\nthree\nfour\n';
  t.is(r.stdout.toString(), `cat 0\n${f}${f.length}\n${sha(Buffer.from(f))}  -\n`, r.stderr.toString());
});

/** A root with the host's static busybox as /bin/sh and its applets, and this /etc/pbash.conf. */
let roots = 0;
function tinyRoot(conf: string | null): string {
  const r = path.join(tmp, `root${roots++}`);
  for (const d of ['bin', 'etc', 'mnt']) fs.mkdirSync(path.join(r, d), { recursive: true });
  fs.copyFileSync('/bin/busybox', path.join(r, 'bin', 'busybox'));
  for (const a of ['sh', 'echo', 'grep', 'sort']) fs.symlinkSync('busybox', path.join(r, 'bin', a));
  if (conf !== null) fs.writeFileSync(path.join(r, 'etc', 'pbash.conf'), conf);
  return r;
}
const bb = fs.existsSync('/bin/busybox') ? t0 : test.skip;

bb('[interop] enabled=false: a host program is ENOEXEC (one line in the log); enabled, it runs', async (t) => {
  const cmd = `${H}/usr/bin/true; echo "status $?"`;
  const off = await pbashIn(home, ['--root', tinyRoot('[interop]\nenabled = false\n'), '-c', cmd]);
  t.not(off.stdout.toString(), 'status 0\n', off.stderr.toString());
  t.true(daemonLog(home).includes(`pbash: ${H}/usr/bin/true: a host program, and interop is off ([interop] enabled=false): ENOEXEC`));
  const on = await pbashIn(home, ['--root', tinyRoot('[interop]\nenabled = true\n'), '-c', cmd]);
  t.is(on.stdout.toString(), 'status 0\n', on.stderr.toString());
});

bb('a host program gets the host environment and the Linux variables PBASHENV names, translated', async (t) => {
  const r = await pbashIn(home, ['--root', tinyRoot(null), '-c',
    `PBASHENV=PBXP/p:PBXQ PBXP=${H}/tmp PBXQ=plain PBXR=unlisted ${H}/usr/bin/env | grep -e ^PBX -e ^PBASH_HOME= | sort`]);
  t.is(r.stdout.toString(), `PBASH_HOME=${home}\nPBXP=/tmp\nPBXQ=plain\n`, r.stderr.toString());
});

// On the session terminal: the host program gets a host pseudo-terminal of its own
const live = new Set<PtySession>();
test.afterEach.always(() => { live.forEach((s) => s.kill()); live.clear(); });
const PROMPT = /root@pbash:[^\r\n]*# $/;
async function command(s: PtySession, line: string): Promise<void> {
  await s.expect(PROMPT);
  s.write(`${line}\r`);
}

t0('on the terminal: a host program sees a tty, reads typed lines, stops on ^Z, continues with fg, ^C ends it and the shell survives; in the background it stops at its first read', async (t) => {
  const s = onPty(process.execPath, [pbashBin, '--root', root], { env: homeEnv(home, { TERM: 'xterm' }) });
  live.add(s);
  await command(s, 'unset HISTFILE');
  await command(s, `${H}/usr/bin/test -t 0 && ${H}/usr/bin/test -t 1 && echo "IS""ATTY"`);
  await s.expect(/[\r\n]ISATTY\r\n/);
  await command(s, `echo RE""ADY; ${H}/usr/bin/head -n 1 | tr a-z A-Z`);
  await s.expect(/READY\r\n/);
  s.write('typed line\r');
  await s.expect(/[\r\n]TYPED LINE\r\n/);
  // stdin and stdout the terminal: a host pseudo-terminal echoes and post-processes, once. The markers come
  // from the host program itself, so keys are typed only once it runs in the foreground.
  // (the program outlives its output by a second: node-pty alone loses a pty's last bytes at exit about once
  // in a few hundred runs on a loaded machine, pbash or not)
  await command(s, `${H}/bin/sh -c 'echo RE""ADY; head -n 1; sleep 1'`);
  await s.expect(/READY\r\n/);
  s.write('on pty\r');
  await s.expect(/^on pty\r\non pty\r\n/);
  // ^Z stops it (a job bash lists), fg continues it, ^C ends it. bash prints the job before giving it the
  // terminal, and a ^C typed in between would reach bash: a line typed after fg is read once the job runs
  // in the foreground, and its answer says so.
  await command(s, `${H}/bin/sh -c 'echo RUN""NING; while read l; do echo "got $l"; done'`);
  await s.expect(/RUNNING\r\n/);
  s.write('\x1a');
  await s.expect(/\[1\]\+\s+Stopped\s+\/mnt\/host\/bin\/sh -c/);
  await command(s, 'fg');
  await s.expect(/[\r\n]\/mnt\/host\/bin\/sh -c [^\r\n]*\r\n/);
  s.write('again\r');
  await s.expect(/got again\r\n/);
  s.write('\x03');
  await command(s, 'echo alive $?');
  await s.expect(/[\r\n]alive 130\r\n/);
  // in the background, reading the terminal stops it (SIGTTIN) instead of taking the shell's input
  await command(s, `set -b; ${H}/usr/bin/cat &`); // -b: bash reports the stop as it happens
  await s.expect(/\[1\]\+\s+Stopped\s+\/mnt\/host\/usr\/bin\/cat/);
  s.write('kill -9 %1\r'); // (the prompt came before the notice)
  await s.expect(/\[1\]\+\s+Killed\s+\/mnt\/host\/usr\/bin\/cat/);
  s.write('exit 0\r');
  t.is(await s.exited, 0);
});
