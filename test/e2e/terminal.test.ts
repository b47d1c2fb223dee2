// Interactive sessions on a host terminal, driven through util-linux `script` (a pty around pbash):
// the prompt, typed lines, ^C interrupting the foreground job with the shell surviving, the exit status,
// and the host terminal's mode restored afterwards.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';
import { pbashBin } from '../helpers/pbash.js';
import { endAllHomes, homeEnv, tempHome } from '../instance/homes.js';

const why = rootfsUnavailableReason() ?? (fs.existsSync('/usr/bin/script') ? null : 'util-linux script is not installed');
const t0 = why ? test.skip : test.serial;
if (why) test.skip(`terminal sessions: ${why}`, () => undefined);

let root = '';
const home = tempHome();
test.before(async () => { if (!why) root = await getRootfs(); });
test.after.always(endAllHomes);

/** Run `line` (a host shell line) on a fresh pty, typing each [delayMs, keys] step; resolves with the screen. */
function onPty(line: string, steps: Array<[number, string]>): Promise<{ screen: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/script', ['-qec', line, '/dev/null'], { env: homeEnv(home), stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (b: Buffer) => { screen += b.toString('latin1'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    void (async () => {
      for (const [ms, keys] of steps) {
        await new Promise((r) => setTimeout(r, ms));
        child.stdin.write(keys);
      }
    })();
    child.on('close', (code) => { clearTimeout(timer); resolve({ screen, code }); });
  });
}

/** Wait-free typing is racy on a loaded machine: give each step time, generously. */
t0('a login shell on a terminal: prompt, commands, ^C interrupts sleep and the shell survives, exit status', async (t) => {
  const marks = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-tty-')), 'stty');
  const pb = `'${process.execPath}' '${pbashBin}' --root '${root}'`;
  const { screen } = await onPty(`stty -g > ${marks}.before; ${pb}; echo "client-rc=$?"; stty -g > ${marks}.after`, [
    [2500, 'echo $((6*7))\r'], [800, 'sleep 100\r'], [1500, '\x03'], [800, 'echo alive $?\r'], [800, 'exit 5\r'], [1500, ''],
  ]);
  t.regex(screen, /root@pbash:.*# /, 'a prompt');
  t.regex(screen, /\r42\r\n/);
  t.regex(screen, /\^C/);
  t.regex(screen, /alive 130/);
  t.regex(screen, /client-rc=5/);
  t.is(fs.readFileSync(`${marks}.before`, 'utf8'), fs.readFileSync(`${marks}.after`, 'utf8'), 'the host terminal mode is restored');
});

t0('-c on a terminal: a pty inside (tty, stty size), output post-processed once', async (t) => {
  const pb = `'${process.execPath}' '${pbashBin}' --root '${root}'`;
  const { screen } = await onPty(`stty rows 33 cols 101; ${pb} -c 'tty; stty size; test -t 0 && echo stdin-is-a-tty'`, [[0, '']]);
  t.regex(screen, /\/dev\/pts\/\d+\r\n/);
  t.regex(screen, /33 101\r\n/);
  t.regex(screen, /stdin-is-a-tty\r\n/);
  t.notRegex(screen, /\r\r\n/, 'the host terminal does not add a second CR');
});

t0('a host terminal resize reaches the Linux side (SIGWINCH, stty size)', async (t) => {
  const pb = `'${process.execPath}' '${pbashBin}' --root '${root}'`;
  // polled rather than trapped: the size is what the resize must change (SIGWINCH delivery is the tty layer's)
  const script = `for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do stty size; sleep 0.25; done`;
  const { screen } = await onPty(
    `stty rows 30 cols 90; T=$(tty); (sleep 2; stty -F $T rows 20 cols 50) & ${pb} -c "${script}"`,
    [[0, '']],
  );
  t.regex(screen, /30 90\r\n/);
  t.regex(screen, /20 50\r\n/);
});
