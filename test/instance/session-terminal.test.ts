// A terminal session's input is bounded: the daemon grants the client credit for one n_tty buffer of
// keystrokes and gives it back only as the line discipline takes them, so a Linux program that does not
// read stalls the client instead of filling the daemon; sending beyond the credit ends the session.
// Driven over the real protocol against a real daemon, as the CLI's client would.
import test from 'ava';
import { createHash } from 'node:crypto';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';
import { handshake } from '../../src/interop/instance-client.js';
import type { FramedConnection } from '../../src/interop/protocol/connection.js';
import * as M from '../../src/interop/protocol/messages.js';
import { N_TTY_BUF_SIZE } from '../../src/emu/fs/tty/ldisc.js';
import { INPUT_WINDOW } from '../../src/instance/session-terminal.js';
import { daemonLog, endAllHomes, infoOf, pbashIn, tempHome } from './homes.js';

const why = rootfsUnavailableReason();
const t0 = why ? test.skip : test.serial;
if (why) test.skip(`terminal sessions: ${why}`, () => undefined);

let root = '';
const home = tempHome();
test.before(async () => {
  if (why) return;
  root = await getRootfs();
  await pbashIn(home, ['--root', root, '-c', 'true']); // a running daemon
});
test.after.always(endAllHomes);

interface TermSession {
  conn: FramedConnection;
  /** stdout so far (latin1). */
  out(): string;
  /** Total stdin credit granted so far. */
  granted(): number;
  /** Resolves once out() matches. */
  until(re: RegExp): Promise<void>;
  exit: Promise<number | null>;
}

/** A session on a terminal, as a client whose stdin and stdout are terminals creates it. */
async function terminalSession(argv: string[]): Promise<TermSession> {
  const c = await handshake(infoOf(home)!);
  if (!c) throw new Error('no daemon');
  let out = '', granted = 0;
  let wake: (() => void) | null = null;
  const exit = new Promise<number | null>((resolve) => {
    c.conn.handlers = {
      frame: (f) => {
        if (f.type === M.T.DATA) { out += f.payload.subarray(1).toString('latin1'); c.conn.send(M.ack(M.STDOUT, f.payload.length - 1)); }
        if (f.type === M.T.ACK) granted += M.ackBytes(f);
        if (f.type === M.T.EXIT) resolve(M.parseExit(f).code);
        wake?.();
      },
      close: () => { resolve(null); wake?.(); },
    };
  });
  c.conn.send(M.json(M.T.REQUEST, { op: 'create', argv, env: ['PATH=/usr/bin:/bin'], hostCwd: '/', root, tty: [true, true, true], winsize: { rows: 24, cols: 80 } }));
  let ended = false;
  void exit.then(() => { ended = true; });
  return {
    conn: c.conn, out: () => out, granted: () => granted, exit,
    until: async (re) => {
      while (!re.test(out)) {
        if (ended) throw new Error(`ended waiting for ${re}: ${JSON.stringify(out)}`);
        await new Promise<void>((r) => { wake = r; });
      }
    },
  };
}

t0('a guest that does not read stalls terminal input at one n_tty buffer; everything arrives once it reads', async (t) => {
  const size = 200_000;
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = 97 + ((i * 7919) % 26);
  // raw mode: bytes pass as typed; `reading` is printed before the first read of the data
  const s = await terminalSession(['/bin/sh', '-c', `stty raw -echo; echo ready; sleep 2; echo reading; head -c ${size} | md5sum`]);
  await s.until(/ready/);
  let sent = 0;
  let grantedWhenReading = -1, sentWhenReading = -1;
  const pump = (): void => {
    const n = Math.min(s.granted() - sent, size - sent, M.DATA_CHUNK);
    if (n > 0) { s.conn.send(M.data(M.STDIN, data.subarray(sent, sent + n))); sent += n; }
  };
  const timer = setInterval(pump, 5);
  await s.until(/reading/);
  grantedWhenReading = s.granted(); sentWhenReading = sent;
  await s.until(/[0-9a-f]{32}/);
  clearInterval(timer);
  t.is(await s.exit, 0);
  t.true(sentWhenReading === grantedWhenReading, 'the client used all its credit while the guest slept');
  // one window ahead of the line discipline plus what the line discipline itself holds (raw mode: 4095)
  t.true(grantedWhenReading <= INPUT_WINDOW + N_TTY_BUF_SIZE - 1, `granted ${grantedWhenReading} before the guest read`);
  t.is(sent, size);
  t.regex(s.out(), new RegExp(createHash('md5').update(data).digest('hex')));
});

t0('terminal input beyond the granted credit ends that session, logged', async (t) => {
  const s = await terminalSession(['/bin/sh', '-c', 'echo ready; sleep 100']);
  await s.until(/ready/);
  s.conn.send(M.data(M.STDIN, Buffer.alloc(s.granted() + 1, 0x61)));
  t.is(await s.exit, null, 'the connection is closed without an exit status');
  t.regex(daemonLog(home), /terminal input beyond the granted credit/);
  t.is((await pbashIn(home, ['--root', root, '-c', 'echo still-serving'])).stdout.toString(), 'still-serving\n');
});
