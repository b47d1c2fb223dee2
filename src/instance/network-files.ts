// A distro's /etc/hosts and /etc/resolv.conf, written at each boot as WSL generates them unless the distro's
// /etc/pbash.conf says `[network] generateHosts = false` / `generateResolvConf = false`. Guest sockets are
// host sockets, so the guest resolves as the host does: localhost and the host name on loopback, the host's
// own /etc/hosts entries, and the host's DNS servers (Node's dns.getServers(), on any host OS). Without these
// files glibc finds no "localhost" (nsswitch "files dns" finds no hosts file, then asks DNS). Only installed
// distros get them: a --root directory runs as it is, nothing is written into it.
import dns from 'node:dns';
import fs from 'node:fs';
import { isIP } from 'node:net';
import type { Kernel } from '../emu/kernel/kernel.js';
import { rootCaller } from '../emu/kernel/spawn.js';
import { openAt } from '../emu/fs/open.js';
import { AT_FDCWD, O } from '../emu/fs/constants.js';
import { E, LinuxError, strerror } from '../emu/kernel/errno.js';

const HEADER = (key: string): string => `# Written by pbash at each boot of this distro; to keep your own file, set\n# [network] ${key} = false in /etc/pbash.conf\n`;

/** Loopback names (Debian's layout: localhost on both families, the host name on 127.0.1.1), then the host's entries. */
export function hostsText(hostname: string, hostHosts: string | null): string {
  // the host's localhost and ip6 multicast lines: ours stand for them (its other loopback names stay: same machine)
  const own = (line: string): boolean => /^\s*(fe00::|ff0[02]::)/.test(line) || /^\s*(127\.\S*|::1)\s.*\blocalhost\b/.test(line);
  const extra = (hostHosts ?? '').split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#') && !own(l));
  return `${HEADER('generateHosts')}127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`
    + `ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${extra.length ? `# from the host's hosts file\n${extra.join('\n')}\n` : ''}`;
}

/** The host's DNS servers as resolv.conf nameserver lines (an IPv6 server's %zone dropped: it names the host's interface). */
export function resolvText(servers: string[]): string {
  const plain = servers.map((s) => s.split('%')[0]).filter((s) => isIP(s) !== 0); // one with a port resolv.conf cannot say
  return `${HEADER('generateResolvConf')}${plain.map((s) => `nameserver ${s}\n`).join('')}`;
}

/** Replace `file` in the distro with `text`; a symlink there (the distro's own arrangement) or no /etc is left alone. */
function writeGuest(kernel: Kernel, file: string, text: string, problems: string[]): void {
  try {
    const f = openAt(rootCaller(kernel), AT_FDCWD, file, O.WRONLY | O.CREAT | O.TRUNC | O.NOFOLLOW, 0o644);
    try { f.write(Buffer.from(text, 'utf8')); } finally { f.ref(); f.unref(); }
  } catch (e) {
    if (!(e instanceof LinuxError)) throw e;
    if (e.errno !== E.ELOOP && e.errno !== E.ENOENT) problems.push(`${file} cannot be written (${strerror(e.errno)})`);
  }
}

export function writeNetworkFiles(kernel: Kernel, o: { hosts: boolean; resolv: boolean }, problems: string[]): void {
  if (o.hosts) {
    let host: string | null = null;
    try { host = fs.readFileSync(process.platform === 'win32' ? `${process.env.SystemRoot ?? 'C:\\Windows'}\\System32\\drivers\\etc\\hosts` : '/etc/hosts', 'utf8'); } catch { /* none */ }
    writeGuest(kernel, '/etc/hosts', hostsText(kernel.uts.nodename, host), problems);
  }
  if (o.resolv) writeGuest(kernel, '/etc/resolv.conf', resolvText(dns.getServers()), problems);
}
