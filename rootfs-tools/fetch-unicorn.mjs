#!/usr/bin/env node
// Obtain libunicorn >= 2.1.4 for the CPU addon, outside the repo, and record where it is (paths.json).
//
//   node rootfs-tools/fetch-unicorn.mjs          fetch if needed, print the paths
//   node rootfs-tools/fetch-unicorn.mjs --gyp K  print one binding.gyp value (K: include | libraries | ldflags)
//
// Source: Debian's unstable binary packages libunicorn-dev (headers + static libunicorn.a) and libunicorn2t64
// (shared fallback), fetched by apt with a PRIVATE configuration derived from the system's own Debian sources
// (suite swapped to unstable). The system's apt configuration is never edited; no mirror is named here.
// Env: PBASH_CACHE (base cache dir, default ~/.cache/pbash; unicorn lives in $PBASH_CACHE/unicorn),
//      PBASH_LIBUNICORN (a libunicorn.so/.a, or a directory with include/ and lib/: used as is).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readAptSources } from './apt-sources.mjs';

const MIN = [2, 1, 4];
const base = process.env.PBASH_CACHE || path.join(os.homedir(), '.cache', 'pbash');
const dir = path.join(base, 'unicorn');
const pathsFile = path.join(dir, 'paths.json');
// Static libunicorn.a (QEMU inside) needs these from the system at link time.
const STATIC_LIBS = ['-lpthread', '-lm', '-lrt', '-ldl'];

class FetchError extends Error {}
const fail = (msg) => { throw new FetchError(msg); };

// ---- version check: from unicorn.h's UC_VERSION_* macros
function headerVersion(includeDir) {
  const h = path.join(includeDir, 'unicorn', 'unicorn.h');
  if (!fs.existsSync(h)) return null;
  const src = fs.readFileSync(h, 'latin1');
  // UC_VERSION_MAJOR may be a number or another macro (2.1.x: UC_API_MAJOR): follow one level.
  const def = (name) => (src.match(new RegExp(`#define\\s+${name}\\s+(\\w+)`)) || [])[1];
  const get = (k) => { const v = def(`UC_VERSION_${k}`); return Number(/^\d+$/.test(v ?? '') ? v : def(v ?? '')); };
  const v = [get('MAJOR'), get('MINOR'), get('PATCH')];
  return v.some(Number.isNaN) ? null : v;
}
const atLeast = (v) => { for (let i = 0; i < 3; i++) if (v[i] !== MIN[i]) return v[i] > MIN[i]; return true; };

function record(p) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(pathsFile, JSON.stringify(p, null, 2) + '\n');
  return p;
}

// ---- PBASH_LIBUNICORN: a library file or a prefix directory
function fromOverride(spec) {
  const st = fs.existsSync(spec) ? fs.statSync(spec) : fail(`PBASH_LIBUNICORN=${spec} does not exist`);
  let libFile, prefix;
  if (st.isDirectory()) {
    prefix = spec;
    const cands = ['lib/libunicorn.a', 'lib/x86_64-linux-gnu/libunicorn.a', 'lib/libunicorn.so',
      'lib/x86_64-linux-gnu/libunicorn.so', 'libunicorn.so'].map((c) => path.join(spec, c));
    libFile = cands.find((c) => fs.existsSync(c)) || fail(`no libunicorn.a/.so under ${spec}`);
  } else {
    libFile = spec;
    prefix = path.dirname(path.dirname(spec));
    if (!fs.existsSync(path.join(prefix, 'include')) && path.basename(prefix) === 'lib') prefix = path.dirname(prefix);
  }
  const include = path.join(prefix, 'include');
  const v = headerVersion(include) || fail(`no unicorn/unicorn.h under ${include} (needed next to PBASH_LIBUNICORN)`);
  if (!atLeast(v)) fail(`PBASH_LIBUNICORN is Unicorn ${v.join('.')}; pbash needs >= ${MIN.join('.')}`);
  return linkInfo(include, libFile, v, 'PBASH_LIBUNICORN');
}

function linkInfo(include, libFile, v, origin) {
  const isStatic = libFile.endsWith('.a');
  const libDir = path.dirname(libFile);
  return {
    version: v.join('.'), origin, include, library: libFile, static: isStatic,
    libraries: isStatic ? [libFile, ...STATIC_LIBS] : [libFile],
    // The shared fallback finds its library through an rpath, not LD_LIBRARY_PATH.
    ldflags: isStatic ? [] : [`-Wl,-rpath,${libDir}`],
  };
}

// ---- the cache: extracted packages under dir/root
function fromCache() {
  const root = path.join(dir, 'root');
  const include = path.join(root, 'usr', 'include');
  const v = headerVersion(include);
  if (!v || !atLeast(v)) return null;
  const libDir = path.join(root, 'usr', 'lib', 'x86_64-linux-gnu');
  const a = path.join(libDir, 'libunicorn.a');
  if (fs.existsSync(a) && fs.statSync(a).size > 1 << 20) return linkInfo(include, a, v, 'cache');
  const so = ['libunicorn.so', 'libunicorn.so.2'].map((n) => path.join(libDir, n)).find((p) => fs.existsSync(p));
  return so ? linkInfo(include, so, v, 'cache') : null;
}

// A Debian archive entry: a plain release suite (no -security/-updates/-backports), main component, and the
// archive's Release file (if apt has it) saying Origin: Debian; without one, a Debian keyring is accepted.
const DEBIAN_SUITES = /^(buster|bullseye|bookworm|trixie|forky|duke|sid|stable|testing|unstable|oldstable)$/;
function isDebianArchive(uri, suite, signedBy) {
  if (!DEBIAN_SUITES.test(suite)) return false;
  const mangled = uri.replace(/^\w+:\/\//, '').replace(/\/+$/, '').replace(/\//g, '_');
  for (const n of ['InRelease', 'Release']) {
    const p = `/var/lib/apt/lists/${mangled}_dists_${suite}_${n}`;
    if (fs.existsSync(p)) return /^Origin:\s*Debian\s*$/m.test(fs.readFileSync(p, 'latin1').slice(0, 4096));
  }
  return !!signedBy && /debian-archive/.test(signedBy);
}
function unstableSources() {
  const seen = new Set();
  const paras = [];
  for (const e of readAptSources()) {
    if (!e.components.includes('main')) continue;
    for (const uri of e.uris) {
      if (!e.suites.some((s) => isDebianArchive(uri, s, e.signedBy)) || seen.has(uri)) continue;
      seen.add(uri);
      paras.push(['Types: deb', `URIs: ${uri}`, 'Suites: unstable', 'Components: main',
        ...(e.signedBy ? [`Signed-By: ${e.signedBy}`] : [])].join('\n'));
    }
  }
  return paras;
}

// ---- apt with a private configuration
function aptFetch() {
  const paras = unstableSources();
  if (!paras.length) fail('no Debian archive found in the system apt sources to derive an unstable source from');
  const apt = path.join(dir, 'apt');
  for (const d of ['etc/sources.list.d', 'etc/preferences.d', 'state/lists/partial', 'cache/archives/partial', 'debs'])
    fs.mkdirSync(path.join(apt, d), { recursive: true });
  fs.writeFileSync(path.join(apt, 'etc/sources.list.d/unstable.sources'), paras.join('\n\n') + '\n');
  fs.writeFileSync(path.join(apt, 'etc/sources.list'), '');
  const opts = [
    `Dir::Etc::SourceList=${apt}/etc/sources.list`, `Dir::Etc::SourceParts=${apt}/etc/sources.list.d`,
    `Dir::Etc::Preferences=${apt}/etc/preferences`, `Dir::Etc::PreferencesParts=${apt}/etc/preferences.d`,
    `Dir::State=${apt}/state`, `Dir::State::Lists=${apt}/state/lists`, `Dir::Cache=${apt}/cache`,
    'Acquire::Languages=none', 'APT::Get::List-Cleanup=false', 'Debug::NoLocking=true',
    // root's home is 0700, so apt's unprivileged _apt download user could not write our cache.
    ...(process.getuid?.() === 0 ? ['APT::Sandbox::User=root'] : []),
  ].flatMap((o) => ['-o', o]);
  const run = (args, cwd) => {
    try { return execFileSync('apt-get', [...opts, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }); }
    catch (e) { fail(`apt-get ${args[0]} failed: ${String(e.stderr || e.message).trim().split('\n').pop()}`); }
  };
  run(['-q', 'update']);
  const debs = path.join(apt, 'debs');
  for (const f of fs.readdirSync(debs)) fs.rmSync(path.join(debs, f));
  run(['-q', 'download', 'libunicorn-dev', 'libunicorn2t64'], debs);
  const root = path.join(dir, 'root');
  fs.rmSync(root, { recursive: true, force: true });
  for (const f of fs.readdirSync(debs).filter((n) => n.endsWith('.deb')))
    execFileSync('dpkg-deb', ['-x', path.join(debs, f), root]);
}

function obtain() {
  if (process.env.PBASH_LIBUNICORN) return record(fromOverride(process.env.PBASH_LIBUNICORN));
  let got = fromCache();
  if (got) return record(got);
  if (process.platform !== 'linux') fail('automatic fetch needs a Debian-like Linux host: set PBASH_LIBUNICORN');
  aptFetch();
  got = fromCache() || fail(`the fetched packages do not hold Unicorn >= ${MIN.join('.')} (see ${dir}/root)`);
  return record(got);
}

// node-gyp downloads Node's headers from the internet unless its cache has them; on a host without that
// access but with the headers installed next to node (<prefix>/include/node, as distro and official
// builds ship them), seed node-gyp's cache from there. Skipped if node-gyp already has them.
function seedNodeHeaders() {
  const version = process.version.slice(1);
  const gypCache = process.env.npm_config_devdir || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'node-gyp');
  const dest = path.join(gypCache, version);
  if (fs.existsSync(path.join(dest, 'installVersion'))) return;
  const src = path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node');
  let h;
  try { h = fs.readFileSync(path.join(src, 'node_version.h'), 'utf8'); } catch { return; }
  const num = (k) => (h.match(new RegExp(`#define NODE_${k}_VERSION (\\d+)`)) || [])[1];
  if (`${num('MAJOR')}.${num('MINOR')}.${num('PATCH')}` !== version || !fs.existsSync(path.join(src, 'common.gypi'))) return;
  let installVersion;
  try {
    const pkg = new URL('../node_modules/node-gyp/package.json', import.meta.url);
    installVersion = JSON.parse(fs.readFileSync(pkg, 'utf8')).installVersion;
  } catch { return; }
  fs.mkdirSync(path.join(dest, 'include'), { recursive: true });
  fs.cpSync(src, path.join(dest, 'include', 'node'), { recursive: true });
  fs.writeFileSync(path.join(dest, 'installVersion'), `${installVersion}\n`);
  console.log(`node headers ${version}: seeded node-gyp's cache from ${src}`);
}

function main() {
  const i = process.argv.indexOf('--gyp');
  if (i > 0) {
    // binding.gyp expansion: the same answer as a plain run (a cache hit costs a few stat calls).
    const p = obtain();
    const v = p[process.argv[i + 1]];
    process.stdout.write((Array.isArray(v) ? v.join(' ') : String(v ?? '')) + '\n');
    return;
  }
  const p = obtain();
  seedNodeHeaders();
  console.log(`unicorn ${p.version} (${p.origin}, ${p.static ? 'static' : 'shared'}): include ${p.include}, library ${p.library}`);
}

try { main(); } catch (e) {
  console.error(`pbash: cannot obtain libunicorn >= ${MIN.join('.')}: ${e instanceof FetchError ? e.message : e?.stack || e}`);
  process.exit(1);
}
