// Name resolution as glibc does it, natively (chroot) and under pbash on the same files: a small root holding
// getent, the dynamic loader, libc and /etc (nsswitch "files dns", a resolv.conf naming 127.0.0.1, where no
// DNS server listens, so nothing leaves the machine) with and without /etc/hosts. glibc's AI_ADDRCONFIG probe
// opens an AF_NETLINK socket pbash does not provide; it then assumes both families, which here (a host with
// non-loopback IPv4 and IPv6 addresses) is the same answer, so only that diagnostic line is masked.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pbashExec } from '../../helpers/pbash.js';
import { getRootfs, rootfsUnavailableReason } from '../../helpers/rootfs.js';
import { run } from '../../helpers/run.js';

const FILES = ['usr/bin/getent', 'lib64/ld-linux-x86-64.so.2', 'lib/x86_64-linux-gnu/libc.so.6', 'etc/host.conf', 'etc/gai.conf'];
const HOSTS = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tpbash-test\n';

function miniRoot(rootfs: string, hosts: string | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-gai-'));
  for (const f of FILES) {
    fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
    fs.copyFileSync(fs.realpathSync(path.join(rootfs, f)), path.join(dir, f));
  }
  fs.writeFileSync(path.join(dir, 'etc/nsswitch.conf'), 'hosts: files dns\n');
  fs.writeFileSync(path.join(dir, 'etc/resolv.conf'), 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  if (hosts !== null) fs.writeFileSync(path.join(dir, 'etc/hosts'), hosts);
  return dir;
}

const QUERIES = [
  ['hosts', 'localhost'], ['ahosts', 'localhost'], ['ahostsv4', 'localhost'], ['ahostsv6', 'localhost'],
  ['ahosts', '127.0.0.1'], ['hosts', '::1'], ['hosts', 'pbash-test'], ['hosts', 'no-such-host.invalid'],
];
const NETLINK_NOTE = /^pbash: socket family 16 is not provided.*\n/gm;

for (const withHosts of [true, false]) {
  (rootfsUnavailableReason() ? test.skip : test)(`getent resolves as natively ${withHosts ? 'with' : 'without'} /etc/hosts`, async (t) => {
    const root = miniRoot(await getRootfs(), withHosts ? HOSTS : null);
    try {
      for (const q of QUERIES) {
        const native = await run('chroot', [root, '/usr/bin/getent', ...q]);
        const pbash = await pbashExec(root, ['/usr/bin/getent', ...q]);
        const what = `getent ${q.join(' ')}`;
        t.is(pbash.stdout.toString(), native.stdout.toString(), what);
        t.is(pbash.stderr.toString().replace(NETLINK_NOTE, ''), native.stderr.toString(), what);
        t.is(pbash.exitCode, native.exitCode, what);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}
