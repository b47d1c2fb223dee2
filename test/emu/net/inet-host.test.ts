// Guest sockets are real host sockets: a host (Node) client talks to a guest TCP server, and a guest client
// (bash's /dev/tcp) talks to a host server; the bash cases run natively under chroot too and must match.
import test from 'ava';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { compileStatic } from '../../helpers/compile.js';
import { pbashBin, pbashMissingReason, pbashShell } from '../../helpers/pbash.js';
import { getRootfs, rootfsUnavailableReason } from '../../helpers/rootfs.js';
import { run } from '../../helpers/run.js';

const missing = pbashMissingReason();
const noRootfs = missing ?? rootfsUnavailableReason();

/** Run the guest echo server, connect to the port it prints, send `data`, half-close; the reply and its report. */
async function echoThroughGuest(six: boolean, data: Buffer): Promise<{ reply: Buffer; stdout: string; code: number | null }> {
  const root = compileStatic('inet-echo-server');
  const child = spawn(process.execPath, [pbashBin, '--standalone', '--root', root, '-e', '/inet-echo-server', ...(six ? ['6'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      const m = /port (\d+)\n/.exec(stdout);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`guest server ended early: ${stdout}`)));
  });
  const reply = await new Promise<Buffer>((resolve, reject) => {
    const got: Buffer[] = [];
    const c = net.connect({ host: six ? '::1' : '127.0.0.1', port }, () => c.end(data));
    c.on('data', (b) => got.push(b));
    c.on('end', () => resolve(Buffer.concat(got)));
    c.on('error', reject);
  });
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (c) => resolve(c));
  });
  return { reply, stdout, code };
}

for (const six of [false, true]) {
  (missing ? test.skip : test)(`a host client talks to a guest TCP server over ${six ? '::1' : '127.0.0.1'}`, async (t) => {
    const data = Buffer.alloc(3 << 20, 'abcdefghijklmnopqrstuvwxyz0123456789\n');
    const { reply, stdout, code } = await echoThroughGuest(six, data);
    t.is(code, 0);
    t.true(reply.equals(Buffer.from(data.toString('latin1').toUpperCase(), 'latin1')), `reply of ${reply.length} bytes differs`);
    t.regex(stdout, new RegExp(`peer ${six ? '::1' : '127\\.0\\.0\\.1'}\\nserved ${data.length} bytes\\n`));
  });
}

/** A host server answering each connection's first line with "pong <line>", then closing. */
function pongServer(): Promise<net.Server> {
  const server = net.createServer((c) => {
    let line = '';
    c.on('data', (b) => {
      line += b.toString();
      if (line.includes('\n')) c.end(`pong ${line.split('\n')[0]}\nbye\n`);
    });
    c.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A port nothing listens on: bound by the host, then closed. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

(noRootfs ? test.skip : test)('bash /dev/tcp reaches a host server, and reports a refused port, as natively', async (t) => {
  const root = await getRootfs();
  const server = await pongServer();
  try {
    const port = (server.address() as net.AddressInfo).port;
    const refused = await closedPort();
    const script = `exec 3<>/dev/tcp/127.0.0.1/${port} && echo ping >&3 && cat <&3; echo "status $?"; exec 3>&-; `
      + `echo x >/dev/tcp/127.0.0.1/${refused}; echo "refused status $?"`;
    const native = await run('chroot', [root, '/bin/bash', '-c', script]);
    const pbash = await pbashShell(root, `exec /bin/bash -c '${script.replace(/'/g, `'\\''`)}'`);
    t.is(native.stdout.toString(), `pong ping\nbye\nstatus 0\nrefused status 1\n`);
    t.is(pbash.stdout.toString(), native.stdout.toString());
    t.is(pbash.stderr.toString(), native.stderr.toString());
    t.is(pbash.exitCode, native.exitCode);
  } finally {
    server.close();
  }
});
