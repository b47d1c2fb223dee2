// execve of a host program with interop off (KernelOptions.interop null, as [interop] enabled=false
// makes it): ENOEXEC, which bash reports as Linux does, and one diagnostic line in the kernel log.
// With a launcher, the same kernel runs it (the e2e tests in test/e2e/host-programs.test.ts go further).
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kernel } from '../../../src/emu/kernel/kernel.js';
import { rootCreds } from '../../../src/emu/kernel/spawn.js';
import { HostStream } from '../../../src/emu/fs/host-stream.js';
import { O } from '../../../src/emu/fs/constants.js';
import { HostLauncher } from '../../../src/interop/host-launcher.js';
import { getRootfs, rootfsUnavailableReason } from '../../helpers/rootfs.js';

const why = rootfsUnavailableReason() ?? (process.platform === 'linux' ? null : 'needs a Linux host');

async function run(interop: HostLauncher | null, script: string): Promise<{ out: string; err: string; log: string[]; status: number }> {
  const root = await getRootfs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-proxy-'));
  const log: string[] = [];
  const kernel = new Kernel({ root, hostMounts: [{ path: '/mnt/host', hostDir: '/' }], interop, log: (l) => log.push(l) });
  const fds = [fs.openSync('/dev/null', 'r'), fs.openSync(path.join(dir, 'out'), 'w'), fs.openSync(path.join(dir, 'err'), 'w')];
  const stdio: [HostStream, HostStream, HostStream] = [new HostStream(fds[0], O.RDONLY), new HostStream(fds[1], O.WRONLY), new HostStream(fds[2], O.WRONLY)];
  const proc = kernel.spawn({ argv: ['/bin/bash', '-c', script], envp: ['PATH=/usr/bin:/bin'], cwd: '/', creds: rootCreds(), stdio });
  const status = await proc.exited;
  const read = (n: string): string => fs.readFileSync(path.join(dir, n), 'utf8');
  const r = { out: read('out'), err: read('err'), log, status };
  fds.forEach((fd) => fs.closeSync(fd));
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

(why ? test.skip : test)('interop off: a host program is ENOEXEC with one diagnostic line', async (t) => {
  const r = await run(null, '/mnt/host/usr/bin/true; echo "status $?"');
  t.is(r.out, 'status 126\n');
  // bash's report of execve's errno: strerror(ENOEXEC) from the distro's glibc
  t.regex(r.err, /^\/bin\/bash: line 1: \/mnt\/host\/usr\/bin\/true: cannot execute binary file: Exec format error\n$/);
  t.deepEqual(r.log, ['pbash: /mnt/host/usr/bin/true: a host program, and interop is off ([interop] enabled=false): ENOEXEC']);
});

(why ? test.skip : test)('interop on: the same kernel runs it; a Linux program on the root still runs emulated', async (t) => {
  const r = await run(new HostLauncher(), '/mnt/host/usr/bin/true; echo "status $?"; /mnt/host/bin/sh -c "exit 3"; echo "status $?"; /bin/true; echo "status $?"');
  t.is(r.out, 'status 0\nstatus 3\nstatus 0\n', r.err);
  t.deepEqual(r.log, []);
});
