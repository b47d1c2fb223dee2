// The generated /etc/hosts and /etc/resolv.conf (src/instance/network-files.ts): loopback names first, the host's
// other entries after them without its localhost and multicast lines; only plain addresses as nameservers.
import test from 'ava';
import { hostsText, resolvText } from '../../src/instance/network-files.js';

test('hosts: localhost both ways, the name on 127.0.1.1, the host\'s own entries kept', (t) => {
  const host = '# comment\n127.0.0.1 localhost\n127.0.1.1 hostbox\n::1 localhost ip6-localhost\nff02::1 ip6-allnodes\n10.1.2.3 db.internal db\n\n';
  const lines = hostsText('guest', host).split('\n').filter((l) => l && !l.startsWith('#'));
  t.deepEqual(lines, ['127.0.0.1\tlocalhost', '127.0.1.1\tguest', '::1\tlocalhost ip6-localhost ip6-loopback', 'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters', '127.0.1.1 hostbox', '10.1.2.3 db.internal db']);
  t.false(hostsText('guest', null).includes('from the host'));
});

test('resolv.conf: each host DNS server, a zone dropped, one with a port left out', (t) => {
  const lines = resolvText(['10.0.0.53', 'fe80::1%eth0', '[2001:db8::1]:5353', '127.0.0.53']).split('\n').filter((l) => l && !l.startsWith('#'));
  t.deepEqual(lines, ['nameserver 10.0.0.53', 'nameserver fe80::1', 'nameserver 127.0.0.53']);
});
