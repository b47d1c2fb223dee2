// The launch path stays light and layered: what `pbash -c true` loads statically from src/cli/main.ts
// reaches neither the kernel (src/emu) nor commander, ink or react; src/cli never imports src/emu at all;
// the built one-file client that bin/pbash loads holds exactly that graph (the lazy paths stay outside).
import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/pbash.js';

const STATIC = /^\s*import\s+(?!type\b)[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm;
const ANY = /(?:from|import\()\s*'([^']+)'/g;

function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.startsWith('/')) return; // a package or builtin
    for (const m of fs.readFileSync(file, 'utf8').matchAll(STATIC)) {
      const spec = m[1] ?? m[2];
      visit(spec.startsWith('.') ? path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts') : spec);
    }
  };
  visit(entry);
  return seen;
}

test('the static import graph of the CLI entry holds no kernel, commander, ink or react', (t) => {
  const graph = [...staticGraph(path.join(repoRoot, 'src/cli/main.ts'))];
  t.true(graph.some((f) => f.endsWith('src/interop/instance-client.ts')));
  t.deepEqual(graph.filter((f) => f.includes('/src/emu/') || f.includes('/src/instance/')), []);
  t.deepEqual(graph.filter((f) => /^(commander|ink|react)(\/|$)/.test(f)), []);
});

test('src/cli never imports src/emu, even lazily', (t) => {
  const dir = path.join(repoRoot, 'src/cli');
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const specs = [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(ANY)].map((m) => m[1]);
    t.deepEqual(specs.filter((s) => s.includes('/emu/')), [], f);
  }
});

test('the bundled client (bin/pbash loads it) holds the static graph and nothing of the kernel or the daemon', (t) => {
  const bundle = path.join(repoRoot, 'dist/cli/main.bundle.js');
  t.true(fs.existsSync(bundle), 'built by npm run build:ts');
  t.regex(fs.readFileSync(path.join(repoRoot, 'bin/pbash'), 'utf8'), /dist\/cli\/main\.bundle\.js/);
  // esbuild marks each module it inlines with a `// dist/...` line
  const inlined = [...fs.readFileSync(bundle, 'utf8').matchAll(/^\/\/ (dist\/\S+)\.js$/gm)].map((m) => m[1].replace(/^dist\//, 'src/'));
  const graph = [...staticGraph(path.join(repoRoot, 'src/cli/main.ts'))].filter((f) => f.startsWith('/')).map((f) => path.relative(repoRoot, f).replace(/\.ts$/, ''));
  t.deepEqual([...new Set(inlined)].sort(), graph.sort());
});
