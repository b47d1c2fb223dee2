// End to end in-process: Debian's bash -i on a session terminal of a real kernel, as the daemon will run it:
// prompt, line editing by readline, stty/tty seeing the pty, job control ioctls, exit.
import test from 'ava';
import { Kernel } from '../../../src/emu/kernel/kernel.js';
import { rootCreds } from '../../../src/emu/kernel/spawn.js';
import { createSessionTerminal } from '../../../src/emu/fs/tty/session-terminal.js';
import { getRootfs, rootfsUnavailableReason } from '../../helpers/rootfs.js';
import { endProcesses } from '../../../src/instance/reaper.js';

const why = rootfsUnavailableReason();
const maybe = why ? test.skip : test.serial;

// a failed test must not leave its bash running (the worker would never exit)
const kernels: Kernel[] = [];
test.afterEach.always(async () => { await endProcesses(kernels.splice(0)); });

async function bashSession(rows = 24, cols = 80) {
  const root = await getRootfs();
  const kernel = new Kernel({ root, log: () => {} });
  kernels.push(kernel);
  const term = createSessionTerminal(kernel, { rows, cols });
  let out = '';
  const waiters: (() => void)[] = [];
  term.onOutput((b) => { out += Buffer.from(b).toString('latin1'); for (const w of waiters.splice(0)) w(); });
  const proc = kernel.spawn({
    argv: ['/bin/bash', '--norc', '--noprofile', '-i'],
    envp: ['TERM=dumb', 'PS1=$ ', 'HOME=/root', 'PATH=/usr/bin:/bin:/usr/sbin:/sbin'],
    cwd: '/', creds: rootCreds(), stdio: [term.slave, term.slave, term.slave],
  });
  let mark = 0;
  /** Output from the last mark until `re` matches (then the mark moves past it). */
  const expect = async (re: RegExp, ms = 20000): Promise<string> => {
    const end = Date.now() + ms;
    for (;;) {
      const m = re.exec(out.slice(mark));
      if (m) { const s = out.slice(mark, mark + m.index + m[0].length); mark += m.index + m[0].length; return s; }
      if (Date.now() > end) throw new Error(`timeout waiting for ${re}; output so far: ${JSON.stringify(out.slice(mark))}`);
      await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 100); });
    }
  };
  const type = (s: string) => term.input(Buffer.from(s, 'latin1'));
  return { term, proc, expect, type };
}

maybe('bash -i: prompt, commands, stty and tty on the pty, line editing, exit', async (t) => {
  const { proc, expect, type } = await bashSession(24, 80);
  await expect(/\$ $/);
  type('echo hi\r');
  t.regex(await expect(/\$ $/), /hi\r\n/);
  type('tty; stty size\r');
  const s = await expect(/\$ $/);
  t.regex(s, /\/dev\/pts\/0\r\n24 80\r\n/);
  type('echo abX\x7fc\r'); // readline's own editing in raw mode
  t.regex(await expect(/\$ $/), /abc\r\n/);
  type('exit 7\r');
  t.is(await proc.exited, 7 << 8);
});

maybe('bash -i: stty -a shows the Linux pty defaults', async (t) => {
  const { proc, expect, type } = await bashSession(24, 80);
  await expect(/\$ $/);
  type('stty -a\r');
  const s = (await expect(/\$ $/)).replace(/\r/g, '');
  t.regex(s, /speed 38400 baud; rows 24; columns 80; line = 0;/);
  t.regex(s, /intr = \^C; quit = \^\\; erase = \^\?; kill = \^U; eof = \^D;/);
  t.regex(s, /-parenb -parodd -cmspar cs8 -hupcl -cstopb cread -clocal -crtscts/);
  t.regex(s, /-ignbrk -brkint -ignpar -parmrk -inpck -istrip -inlcr -igncr icrnl ixon -ixoff/);
  t.regex(s, /opost -olcuc -ocrnl onlcr -onocr -onlret -ofill -ofdel nl0 cr0 tab0 bs0 vt0 ff0/);
  t.regex(s, /isig icanon iexten echo echoe echok -echonl -noflsh -xcase -tostop -echoprt/);
  type('exit\r');
  t.is(await proc.exited, 0);
});

maybe('resize reaches the foreground program; hangup ends the session', async (t) => {
  const { term, proc, expect, type } = await bashSession(24, 80);
  await expect(/\$ $/);
  term.resize(50, 132);
  type('stty size\r');
  // readline may redraw its prompt on SIGWINCH before the command's output: wait for the answer itself
  await expect(/50 132\r\n\$ $/);
  term.hangup();
  const st = await proc.exited;
  t.is(st & 0x7f, 1, 'bash ended by SIGHUP');
});

// These need signal delivery to handlers and stop/continue (the lead's signal work): ^C, ^Z, bg, fg.
maybe('^C interrupts the foreground job and the shell survives', async (t) => {
  const { proc, expect, type } = await bashSession();
  await expect(/\$ $/);
  type('sleep 100\r');
  await new Promise((r) => setTimeout(r, 500));
  type('\x03');
  await expect(/\^C/);
  await expect(/\$ $/);
  type('echo status $?\r');
  t.regex(await expect(/\$ $/), /status 130\r\n/);
  type('exit\r');
  t.is(await proc.exited, 0);
});

maybe('^Z stops the foreground job; bg and fg continue it', async (t) => {
  const { proc, expect, type } = await bashSession();
  await expect(/\$ $/);
  type('sleep 1\r');
  await new Promise((r) => setTimeout(r, 300));
  type('\x1a');
  t.regex(await expect(/\$ $/), /\^Z\r\n\[1\]\+\s+Stopped\s+sleep 1/);
  type('jobs\r');
  t.regex(await expect(/\$ $/), /\[1\]\+\s+Stopped\s+sleep 1/);
  type('bg\r');
  t.regex(await expect(/\$ $/), /\[1\]\+ sleep 1 &/);
  type('wait; echo waited $?\r');
  t.regex(await expect(/\$ $/), /waited 0\r\n/);
  type('sleep 1\r');
  await new Promise((r) => setTimeout(r, 300));
  type('\x1a');
  await expect(/Stopped.*\r\n\$ $/);
  type('fg\r');
  t.regex(await expect(/\$ $/), /^fg\r\nsleep 1\r\n\$ $/);
  type('exit\r');
  t.is(await proc.exited, 0);
});
