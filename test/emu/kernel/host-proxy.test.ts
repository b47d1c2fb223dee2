// execve of a host program with interop off (KernelOptions.interop null, as [interop] enabled=false
// makes it): ENOEXEC, which bash reports as Linux does, and one diagnostic line in the kernel log.
// With a launcher, the same kernel runs it, and a posix_spawn'd host program (CLONE_VFORK: the parent
// resumes at the exec) is stopped, continued and killed as the same program is natively (the e2e tests in
// test/e2e/host-programs.test.ts go further).
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
import { compileStatic } from '../../helpers/compile.js';
import { run as runNative } from '../../helpers/run.js';

const why = rootfsUnavailableReason() ?? (process.platform === 'linux' ? null : 'needs a Linux host');

async function run(interop: HostLauncher | null, argv: string[], root: string): Promise<{ out: string; err: string; log: string[]; status: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-proxy-'));
  const log: string[] = [];
  const kernel = new Kernel({ root, hostMounts: [{ path: '/mnt/host', hostDir: '/' }], interop, log: (l) => log.push(l) });
  const fds = [fs.openSync('/dev/null', 'r'), fs.openSync(path.join(dir, 'out'), 'w'), fs.openSync(path.join(dir, 'err'), 'w')];
  const stdio: [HostStream, HostStream, HostStream] = [new HostStream(fds[0], O.RDONLY), new HostStream(fds[1], O.WRONLY), new HostStream(fds[2], O.WRONLY)];
  const proc = kernel.spawn({ argv, envp: ['PATH=/usr/bin:/bin'], cwd: '/', creds: rootCreds(), stdio });
  const status = await proc.exited;
  const read = (n: string): string => fs.readFileSync(path.join(dir, n), 'utf8');
  const r = { out: read('out'), err: read('err'), log, status };
  fds.forEach((fd) => fs.closeSync(fd));
  fs.rmSync(dir, { recursive: true, force: true });
  return r;
}

(why ? test.skip : test)('interop off: a host program is ENOEXEC with one diagnostic line', async (t) => {
  const r = await run(null, ['/bin/bash', '-c', '/mnt/host/usr/bin/true; echo "status $?"'], await getRootfs());
  t.is(r.out, 'status 126\n');
  // bash's report of execve's errno: strerror(ENOEXEC) from the distro's glibc
  t.regex(r.err, /^\/bin\/bash: line 1: \/mnt\/host\/usr\/bin\/true: cannot execute binary file: Exec format error\n$/);
  t.deepEqual(r.log, ['pbash: /mnt/host/usr/bin/true: a host program, and interop is off ([interop] enabled=false): ENOEXEC']);
});

(why ? test.skip : test)('interop on: the same kernel runs it; a Linux program on the root still runs emulated', async (t) => {
  const r = await run(new HostLauncher(), ['/bin/bash', '-c', '/mnt/host/usr/bin/true; echo "status $?"; /mnt/host/bin/sh -c "exit 3"; echo "status $?"; /bin/true; echo "status $?"'], await getRootfs());
  t.is(r.out, 'status 0\nstatus 3\nstatus 0\n', r.err);
  t.deepEqual(r.log, []);
});

(why ? test.skip : test)('posix_spawn of a host program, then SIGSTOP, SIGCONT, SIGTERM, SIGKILL: waitpid sees what it sees natively', async (t) => {
  const dir = compileStatic('spawn-signals');
  fs.mkdirSync(path.join(dir, 'mnt', 'host'), { recursive: true }); // the mountpoint, as a distro has /mnt
  const native = await runNative(path.join(dir, 'spawn-signals'), ['/usr/bin/sleep', '100'], { timeout: 60_000 });
  t.is(native.exitCode, 0, native.stderr.toString());
  const r = await run(new HostLauncher(), ['/spawn-signals', '/mnt/host/usr/bin/sleep', '100'], dir);
  t.is(r.out, native.stdout.toString(), r.err);
  t.is(r.status, 0);
  fs.rmSync(dir, { recursive: true, force: true });
});
