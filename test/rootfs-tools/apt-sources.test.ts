// The rootfs builder finds its Debian mirror in the system's apt sources (both formats).
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error: plain ESM JavaScript without type declarations
import { findDebianMirror, readAptSources } from '../../rootfs-tools/apt-sources.mjs';

function etc(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-apt-'));
  fs.mkdirSync(path.join(dir, 'sources.list.d'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

test.serial('deb822 sources: the main suite wins over -security and third-party repositories', (t) => {
  const dir = etc({
    'sources.list.d/other.sources': 'Types: deb\nURIs: https://example.invalid/repo\nSuites: nodistro\nComponents: main\n',
    'sources.list.d/debian.sources':
      'Types: deb\nURIs: http://mirror.invalid/debian-security\nSuites: bookworm-security\nComponents: main\n\n' +
      'Types: deb deb-src\n# a comment\nURIs: http://mirror.invalid/debian\nSuites: bookworm bookworm-updates\nComponents: main contrib\n',
  });
  delete process.env.PBASH_DEBIAN_MIRROR;
  t.is(findDebianMirror(dir), 'http://mirror.invalid/debian');
  t.is(readAptSources(dir).length, 3);
});

test.serial('one-line sources.list with options, disabled files ignored, env override', (t) => {
  const dir = etc({
    'sources.list': '# deb http://old.invalid/debian buster main\ndeb [arch=amd64 signed-by=/k.gpg] http://mirror.invalid/debian trixie main\n',
    'sources.list.d/x.list.disabled': 'deb http://nope.invalid/debian bookworm main\n',
  });
  t.is(findDebianMirror(dir), 'http://mirror.invalid/debian');
  process.env.PBASH_DEBIAN_MIRROR = 'http://override.invalid/debian';
  try { t.is(findDebianMirror(dir), 'http://override.invalid/debian'); } finally { delete process.env.PBASH_DEBIAN_MIRROR; }
  t.is(findDebianMirror(etc({})), null);
});
