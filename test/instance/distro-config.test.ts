import test from 'ava';
import { configWarning, defaultConfig, parseDistroConfig } from '../../src/instance/distro-config.js';

test('every key of wsl.conf this issue names is read', (t) => {
  const { config, problems } = parseDistroConfig([
    '# a comment', '; another', '[automount]', 'enabled = false', 'root = /media', 'options = "uid=1000,gid=1000,umask=022"',
    'mountFsTab=false', '', '[interop]', 'enabled=FALSE', 'appendWindowsPath = false', '[user]', 'default = alice',
    '[boot]', 'command = "echo booted > /tmp/b"', '[network]', 'hostname = box-1.example',
    'generateHosts = false', 'generateResolvConf = false',
  ].join('\n'));
  t.deepEqual(problems, []);
  t.deepEqual(config, {
    automount: { enabled: false, root: '/media/', options: 'uid=1000,gid=1000,umask=022', mountFsTab: false },
    interop: { enabled: false, appendHostPath: false },
    user: { default: 'alice' },
    boot: { command: 'echo booted > /tmp/b' },
    network: { hostname: 'box-1.example', generateHosts: false, generateResolvConf: false },
  });
  t.is(parseDistroConfig('[interop]\nappendHostPath=false\n').config.interop.appendHostPath, false);
  t.deepEqual(parseDistroConfig('').config, defaultConfig());
});

// a corpus of malformed files: each yields problems (one warning line) and the defaults where it was wrong
const corpus: Array<[string, RegExp]> = [
  ['[automount]\nenabled = yes-please\n', /line 2: automount.enabled = "yes-please" is not true or false/],
  ['[automount]\nroot = relative/dir\n', /is not an absolute path/],
  ['[automount]\nroot = /mnt/../etc\n', /is not an absolute path/],
  ['[network]\nhostname = bad_name!\n', /is not a host name/],
  ['[network]\nhostname = ' + 'a'.repeat(65) + '\n', /is not a host name/],
  ['[user]\ndefault = no spaces allowed\n', /is not a user name/],
  ['[nosuch]\nkey = 1\n', /line 1: unknown section \[nosuch\]/],
  ['[interop]\ncolour = blue\n', /line 2: unknown key colour in \[interop\]/],
  ['enabled = true\n', /line 1: a key outside any section/],
  ['[automount\n', /line 1: not a key = value line/],
  ['just words\n', /line 1: not a key = value line/],
  ['[boot]\n= value\n', /line 2: not a key = value line/],
  ['\u0000\u0001\u00ff garbage \n[', /line 1: not a key = value line; \/etc\/pbash.conf line 2: not a key = value line/],
];

for (const [text, why] of corpus) {
  test(`malformed: ${JSON.stringify(text).slice(0, 40)} -> one warning line, defaults`, (t) => {
    const { config, problems } = parseDistroConfig(text);
    const w = configWarning(problems);
    t.truthy(w);
    t.false(w!.includes('\n'));
    t.regex(w!, why);
    t.deepEqual(config, defaultConfig());
  });
}

test('good keys stand beside bad ones; CRLF line ends are fine', (t) => {
  const { config, problems } = parseDistroConfig('[network]\r\nhostname = ok\r\n[interop]\r\nenabled = maybe\r\nappendHostPath = false\r\n');
  t.is(config.network.hostname, 'ok');
  t.is(config.interop.enabled, true);
  t.is(config.interop.appendHostPath, false);
  t.is(problems.length, 1);
});
