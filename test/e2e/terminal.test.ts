// Interactive sessions on a real host terminal (node-pty), driven as a user types: the prompt, typed lines,
// line editing (readline's and the kernel's n_tty), ^C with the shell surviving, ^Z/bg/fg, the session
// pty's modes against `stty -a` run natively on the same kind of terminal, resize, the host terminal's mode
// restored on exit, full-screen programs (busybox vi, top). Every step waits for the output it needs, never
// for a fixed time.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';
import { pbashBin } from '../helpers/pbash.js';
import { onPty, type PtySession } from '../helpers/pty.js';
import { endAllHomes, homeEnv, tempHome } from '../instance/homes.js';

const why = rootfsUnavailableReason();
const t0 = why ? test.skip : test.serial;
if (why) test.skip(`terminal sessions: ${why}`, () => undefined);

let root = '';
const home = tempHome();
test.before(async () => { if (!why) root = await getRootfs(); });
test.after.always(endAllHomes);

const env = (): NodeJS.ProcessEnv => homeEnv(home, { TERM: 'xterm'});
const live = new Set<PtySession>();
test.afterEach.always(() => { live.forEach((s) => s.kill()); live.clear(); });
const track = (s: PtySession): PtySession => { live.add(s); return s; };
const pbash = (args: string[], cols = 80, rows = 24): PtySession =>
  track(onPty(process.execPath, [pbashBin, '--root', root, ...args], { env: env(), cols, rows }));
/** A host shell line with PBASH standing for the pbash command, on a fresh host pty. */
const hostLine = (line: string): PtySession =>
  track(onPty('/bin/sh', ['-c', line.replaceAll('PBASH', `'${process.execPath}' '${pbashBin}' --root '${root}'`)], { env: env() }));

const PROMPT = /root@pbash:[^\r\n]*# $/;
/** Type a command at bash's prompt. */
async function command(t: PtySession, line: string): Promise<void> {
  await t.expect(PROMPT);
  t.write(`${line}\r`);
}
/**
 * A line for the kernel's line discipline: bash's `read` reads the terminal in canonical mode, after
 * readline gave the terminal back; the marker (split in the command line so its echo does not match)
 * says the command runs, so the keys are not typed ahead into readline's raw mode.
 */
async function readLine(t: PtySession, keys: string): Promise<string> {
  await command(t, 'echo RE""ADY; read -r l; echo "[$l]"');
  await t.expect(/READY\r\n/);
  t.write(keys);
  return (await t.expect(/\[([^\]\r\n]*)\]\r\n/))[1];
}

t0('a login shell: prompt, typed lines, line editing, exit status; the host terminal mode is restored', async (t) => {
  const marks = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-tty-')), 'stty');
  const s = hostLine(`stty -g > ${marks}.before; PBASH; echo "client-rc=$?"; stty -g > ${marks}.after`);
  await command(s, 'unset HISTFILE');
  await command(s, 'echo $((6*7))');
  await s.expect(/[\r\n]42\r\n/);
  // readline (raw mode inside Linux): backspace, ^U, ^W
  await command(s, 'echo abcX\x7fd');
  await s.expect(/[\r\n]abcd\r\n/);
  await command(s, 'garbage\x15echo killed');
  await s.expect(/[\r\n]killed\r\n/);
  await command(s, 'echo one two\x17three');
  await s.expect(/[\r\n]one three\r\n/);
  // the kernel's n_tty in canonical mode: VERASE, VKILL, VWERASE, with their echo
  t.is(await readLine(s, 'abcX\x7fd\r'), 'abcd');
  t.is(await readLine(s, 'junk junk\x15kept\r'), 'kept');
  t.is(await readLine(s, 'one two\x17three\r'), 'one three');
  await command(s, 'stty -echo; exit 5'); // a mode changed inside Linux stays inside
  await s.expect(/client-rc=5\r\n/);
  t.is(await s.exited, 0);
  t.is(fs.readFileSync(`${marks}.after`, 'utf8'), fs.readFileSync(`${marks}.before`, 'utf8'), 'the host terminal mode is restored');
});

t0('^C interrupts sleep 100 and the shell survives; ^Z, jobs, bg (then SIGTTIN), fg', async (t) => {
  const s = pbash([]);
  await command(s, 'unset HISTFILE'); // the shared rootfs is read-only to tests: no history file written
  // the job prints a marker once it runs in the foreground (its own process group owns the terminal)
  await command(s, `sh -c 'echo RUN""NING; exec sleep 100'`);
  await s.expect(/RUNNING\r\n/);
  s.write('\x03');
  await s.expect(/\^C/);
  await command(s, 'echo alive $?');
  await s.expect(/[\r\n]alive 130\r\n/);
  // a job that reads the terminal: stopped by ^Z, stopped again by SIGTTIN when it reads in the
  // background, and given the line typed once fg handed it the terminal
  await command(s, `sh -c 'echo RUN""NING; read x; echo "got $x"'`);
  await s.expect(/RUNNING\r\n/);
  s.write('\x1a');
  await s.expect(/\^Z\r\n\[1\]\+\s+Stopped\s+sh -c/);
  await command(s, 'jobs');
  await s.expect(/[\r\n]\[1\]\+\s+Stopped\s+sh -c/);
  await command(s, 'bg');
  await s.expect(/[\r\n]\[1\]\+ sh -c .* &\r\n/);
  await command(s, 'fg');
  await s.expect(/[\r\n]sh -c [^\r\n]*\r\n/);
  s.write('hello\r');
  await s.expect(/[\r\n]got hello\r\n/);
  await command(s, 'echo fg-status $?; jobs | wc -l');
  await s.expect(/[\r\n]fg-status 0\r\n0\r\n/);
  await command(s, 'exit 0');
  t.is(await s.exited, 0);
});

t0('stty -a in a session matches stty -a run natively (chroot, same rootfs) on the same kind of terminal', async (t) => {
  for (const [cols, rows] of [[80, 24], [132, 43]]) {
    // both outlive their output by a second: node-pty alone can lose a pty's last bytes at the program's exit
    const native = onPty('/usr/sbin/chroot', [root, '/bin/sh', '-c', 'stty -a; sleep 1'], { env: env(), cols, rows });
    t.is(await native.exited, 0);
    const ours = pbash(['-c', 'stty -a; sleep 1'], cols, rows);
    t.is(await ours.exited, 0);
    t.regex(native.screen, new RegExp(`rows ${rows}; columns ${cols};`));
    t.is(ours.screen, native.screen);
  }
});

t0('a resize reaches the Linux side: SIGWINCH, stty size, tput cols', async (t) => {
  const s = pbash(['-c', `trap 'stty size; tput cols; exit 7' WINCH; stty size; tput cols; echo ready; while :; do sleep 0.1; done`], 90, 30);
  await s.expect(/^30 90\r\n90\r\nready\r\n/);
  s.resize(50, 20);
  await s.expect(/^20 50\r\n50\r\n$/);
  t.is(await s.exited, 7);
});

t0('-c on a terminal: a pty inside (tty, test -t), output post-processed once', async (t) => {
  const s = pbash(['-c', 'tty; test -t 0 && test -t 1 && test -t 2 && echo all-ttys; printf "a\\nb\\n"']);
  t.is(await s.exited, 0);
  t.regex(s.screen, /^\/dev\/pts\/\d+\r\nall-ttys\r\na\r\nb\r\n$/);
});

t0('full-screen programs: busybox vi edits and saves a file, top draws and quits on q; the pty modes come back', async (t) => {
  const s = pbash(['-c', [
    'stty -g > /dev/shm/before', '/usr/local/bin/busybox vi /dev/shm/vi.txt', 'echo vi-exit=$?',
    'stty -g | cmp -s /dev/shm/before - && echo modes-restored', 'cat /dev/shm/vi.txt',
    'top -d 0.3', 'echo top-exit=$?', 'stty -g | cmp -s /dev/shm/before - && echo modes-restored',
  ].join('; ')], 100, 24); // wide enough that top's rows never cut the COMMAND column
  // the status line names the file and the mode (I: insert, -: command); each ESC is sent alone and its
  // effect awaited, since an ESC followed at once by more bytes reads as an escape sequence (natively too)
  const mode = (m: string) => s.expect(new RegExp(`${m} /dev/shm/vi\\.txt`));
  await mode('-');
  s.write('ihello pbash');
  await mode('I');
  s.write('\x1b');
  await mode('-');
  s.write('ouser');
  await mode('I');
  s.write('\x1b');
  await mode('-');
  s.write(':wq\r');
  await s.expect(/vi-exit=0\r\nmodes-restored\r\nhello pbash\r\nuser\r\n/);
  // procps top: its header and the task summary drawn, then q; the screen (its attributes stripped) lists
  // the task count and top itself
  await s.expect(/top - \d\d:\d\d:\d\d up/);
  await s.expect(/Tasks:/);
  await s.expect(/ root +20 +0 [^\x1b]* top\b/); // the first frame's task list is out before q
  s.write('q');
  await s.expect(/top-exit=0\r\nmodes-restored\r\n/);
  const plain = s.screen.replace(/\x1b(\[[0-9;?]*[A-Za-z]|\([AB0]|[=>])/g, ''); // CSI, charset, keypad mode
  t.regex(plain, /Tasks:\s+\d+ total,\s+\d+ running/);
  t.regex(plain, /^\s*\d+ root\s+20\s+0\s.* [RS]\s.* top\b/m);
  t.is(await s.exited, 0);
});
