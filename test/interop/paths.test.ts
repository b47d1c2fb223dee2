import test from 'ava';
import {
  PathError, escapeHostName, hostPathToLinux, linuxPathToHost, unescapeHostName, type HostView,
} from '../../src/interop/paths.js';

const posixView: HostView = { platform: 'linux', mountRoot: '/mnt/', distroRoot: null };
const winView: HostView = { platform: 'win32', mountRoot: '/mnt/', distroRoot: null };

test('Windows-invalid characters escape to U+F000+c and back; other hosts keep names as they are', (t) => {
  const name = 'a:b\\c*d?e"f<g>h|i\x01j';
  const esc = escapeHostName(name, 'win32');
  t.false(/[:\\*?"<>|\x01]/.test(esc));
  t.is(esc, 'a\uf03ab\uf05cc\uf02ad\uf03fe\uf022f\uf03cg\uf03eh\uf07ci\uf001j');
  t.is(unescapeHostName(esc, 'win32'), name);
  t.is(escapeHostName(name, 'linux'), name);
  t.is(unescapeHostName('x\uf03ay', 'linux'), 'x\uf03ay');
  // names without invalid characters cross unchanged both ways (accents, spaces, other private-use chars)
  for (const n of ['plain', 'with space', 'é ü', '\uf100']) {
    t.is(escapeHostName(n, 'win32'), n);
    t.is(unescapeHostName(n, 'win32'), n);
  }
});

test('POSIX host: host paths appear under <root>host, and back exactly (spaces, odd bytes)', (t) => {
  for (const [host, linux] of [['/', '/mnt/host'], ['/tmp', '/mnt/host/tmp'], ['/a b/c:d\\e', '/mnt/host/a b/c:d\\e'],
    ['/x/./y/', '/mnt/host/x/y']]) {
    t.is(hostPathToLinux(host, posixView), linux);
  }
  for (const p of ['/tmp', '/a b/c:d\\e', '/é/ü*?']) {
    t.is(linuxPathToHost(hostPathToLinux(p, posixView), posixView), p);
    t.is(linuxPathToHost(hostPathToLinux(p, posixView), posixView, true), p, '-m is -w on POSIX hosts');
  }
  t.is(linuxPathToHost('/mnt/host', posixView), '/');
  t.is(hostPathToLinux('/tmp', { ...posixView, mountRoot: '/media/' }), '/media/host/tmp');
});

test('relative paths stay relative unless -a gives a directory', (t) => {
  t.is(hostPathToLinux('a b/c', posixView), 'a b/c');
  t.is(hostPathToLinux('a b/c', posixView, '/home/u'), '/home/u/a b/c');
  t.is(linuxPathToHost('a b/c', posixView), 'a b/c');
  t.is(linuxPathToHost('c', posixView, false, '/mnt/host/tmp'), '/tmp/c');
  t.is(hostPathToLinux('a\\b:c', winView), 'a/b:c');
});

test('a Linux path outside the host mounts: inside a --root tree, or not reachable', (t) => {
  t.throws(() => linuxPathToHost('/etc/passwd', posixView), { instanceOf: PathError, message: /not reachable from the host/ });
  t.is(linuxPathToHost('/etc/passwd', { ...posixView, distroRoot: '/srv/root' }), '/srv/root/etc/passwd');
  t.is(linuxPathToHost('/', { ...posixView, distroRoot: '/srv/root' }), '/srv/root');
  t.throws(() => hostPathToLinux('/tmp', { ...posixView, mountRoot: null }), { instanceOf: PathError });
  t.throws(() => hostPathToLinux('', posixView), { instanceOf: PathError });
});

test('Windows host: drives under <root><letter>, escaped names, -w and -m', (t) => {
  t.is(hostPathToLinux('C:\\Users\\me\\a b', winView), '/mnt/c/Users/me/a b');
  t.is(hostPathToLinux('d:/x', winView), '/mnt/d/x');
  t.is(hostPathToLinux('C:\\', winView), '/mnt/c');
  t.is(hostPathToLinux('C:\\a\uf03ab', winView), '/mnt/c/a:b');
  t.is(linuxPathToHost('/mnt/c/Users/a:b', winView), 'C:\\Users\\a\uf03ab');
  t.is(linuxPathToHost('/mnt/c/Users/a b', winView, true), 'C:/Users/a b');
  for (const p of ['C:\\Users\\x y\\q\uf03fz', 'E:\\']) t.is(linuxPathToHost(hostPathToLinux(p, winView), winView), p);
  t.throws(() => hostPathToLinux('\\\\server\\share', winView), { instanceOf: PathError });
  t.throws(() => hostPathToLinux('\\rooted', winView), { instanceOf: PathError });
});
