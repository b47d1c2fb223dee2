import test from 'ava';
import { appendHostPath, hostEnvToLinux, linuxEnvToHost, parsePbashEnv, sessionEnvironment } from '../../src/interop/pbashenv.js';
import type { HostView } from '../../src/interop/paths.js';

const v: HostView = { platform: 'linux', mountRoot: '/mnt/', distroRoot: null };
const win: HostView = { platform: 'win32', mountRoot: '/mnt/', distroRoot: null };

test('rule list: names, flags, directions; malformed entries skipped', (t) => {
  t.deepEqual(parsePbashEnv('A:B/p:C/l:D/u:E/w:F/pu:1X:G/z::H/'), [
    { name: 'A', path: false, list: false, toLinux: true, toHost: true },
    { name: 'B', path: true, list: false, toLinux: true, toHost: true },
    { name: 'C', path: false, list: true, toLinux: true, toHost: true },
    { name: 'D', path: false, list: false, toLinux: true, toHost: false },
    { name: 'E', path: false, list: false, toLinux: false, toHost: true },
    { name: 'F', path: true, list: false, toLinux: true, toHost: false },
    { name: 'H', path: false, list: false, toLinux: true, toHost: true },
  ]);
  t.deepEqual(parsePbashEnv(undefined), []);
});

test('host -> Linux: /p and /l translated, plain values as they are, /w kept out, PBASHENV itself crosses', (t) => {
  const host = { PBASHENV: 'P/p:L/l:N:W/w:U/u:MISSING/p', P: '/tmp/a b', L: '/usr/bin:/opt/x::rel', N: '/tmp', W: 'w', U: '/u' };
  t.deepEqual(hostEnvToLinux(host, v), {
    P: '/mnt/host/tmp/a b', L: '/mnt/host/usr/bin:/mnt/host/opt/x::rel', N: '/tmp', U: '/u', PBASHENV: host.PBASHENV,
  });
  t.deepEqual(hostEnvToLinux({ PBASHENV: 'P/p:L/l', P: 'C:\\a b', L: 'C:\\x;D:\\y' }, win).L, '/mnt/c/x:/mnt/d/y');
  t.deepEqual(hostEnvToLinux({ P: '/x' }, v), {}, 'nothing crosses without PBASHENV');
});

test('Linux -> host: the reverse translation; /u kept out; a path with no host name crosses unchanged', (t) => {
  const linux = ['PBASHENV=P/p:L/l:W/w:U/u:R/p', 'P=/mnt/host/tmp/x', 'L=/mnt/host/a:/mnt/host/b', 'W=1', 'U=2', 'R=/etc'];
  t.deepEqual(linuxEnvToHost(linux, v), { P: '/tmp/x', L: '/a:/b', W: '1', R: '/etc', PBASHENV: 'PBASHENV=P/p:L/l:W/w:U/u:R/p'.slice(9) });
  t.is(linuxEnvToHost(['PBASHENV=L/l', 'L=/mnt/c/x:/mnt/d/y'], win).L, 'C:\\x;D:\\y');
  // a round trip host -> Linux -> host is exact
  const host = { PBASHENV: 'P/p:L/l', P: '/tmp/a b/é', L: '/x y:/z' };
  const back = linuxEnvToHost(Object.entries(hostEnvToLinux(host, v)).map(([k, x]) => `${k}=${x}`), v);
  t.deepEqual(back, host);
});

test('host PATH appended translated; relative entries dropped; the session environment puts it together', (t) => {
  t.is(appendHostPath('/usr/bin:/bin', '/usr/local/bin:.:/home/me/bin', v), '/usr/bin:/bin:/mnt/host/usr/local/bin:/mnt/host/home/me/bin');
  t.is(appendHostPath('/bin', undefined, v), '/bin');
  t.is(appendHostPath('/bin', '/usr/bin', { ...v, mountRoot: null }), '/bin', 'no host mount: nothing to append');
  const host = { PATH: '/usr/bin', PBASHENV: 'FOO/p', FOO: '/tmp', OTHER: 'x' };
  t.deepEqual(sessionEnvironment(['PATH=/bin', 'HOME=/root'], host, v, true),
    ['PATH=/bin:/mnt/host/usr/bin', 'HOME=/root', 'FOO=/mnt/host/tmp', 'PBASHENV=FOO/p']);
  t.deepEqual(sessionEnvironment(['PATH=/bin'], host, v, false), ['PATH=/bin', 'FOO=/mnt/host/tmp', 'PBASHENV=FOO/p']);
});
