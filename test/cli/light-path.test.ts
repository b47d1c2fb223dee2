// The launch path stays light and layered: what `pbash -c true` loads statically from src/cli/main.ts
// reaches neither the kernel (src/emu) nor commander, ink or react; src/cli never imports src/emu at all;
// the built one-file client that bin/pbash loads holds exactly that graph (the lazy paths stay outside);
// and at run time (every module resolved, traced) `pbash -c true` loads no ink or react; the dashboard
// (`pbash status` on a terminal) runs from its own bundle, ink and react inside it.
import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pbashBin, repoRoot, run } from '../helpers/pbash.js';
import { onPty } from '../helpers/pty.js';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';
import { endAllHomes, homeEnv, tempHome } from '../instance/homes.js';

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
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => /\.tsx?$/.test(n));
  t.true(files.includes(path.join('status', 'Dashboard.tsx')), 'the dashboard is searched too');
  for (const f of files) {
    const specs = [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(ANY)].map((m) => m[1]);
    t.deepEqual(specs.filter((s) => s.includes('/emu/')), [], f);
  }
});

test('the bundled client (bin/pbash loads it) holds the static graph and nothing of the kernel or the daemon', (t) => {
  const bundle = path.join(repoRoot, 'dist/cli/main.bundle.cjs');
  t.true(fs.existsSync(bundle), 'built by npm run build:ts');
  t.regex(fs.readFileSync(path.join(repoRoot, 'bin/pbash'), 'utf8'), /require\('\.\.\/dist\/cli\/main\.bundle\.cjs'\)/);
  // esbuild marks each module it inlines with a `// dist/...` line
  const inlined = [...fs.readFileSync(bundle, 'utf8').matchAll(/^\/\/ (dist\/\S+)\.js$/gm)].map((m) => m[1].replace(/^dist\//, 'src/'));
  const graph = [...staticGraph(path.join(repoRoot, 'src/cli/main.ts'))].filter((f) => f.startsWith('/')).map((f) => path.relative(repoRoot, f).replace(/\.ts$/, ''));
  t.deepEqual([...new Set(inlined)].sort(), graph.sort());
});

test.after.always(endAllHomes);

const TRACER = path.join(repoRoot, 'test/helpers/trace-loads.mjs');
const UI = /\/node_modules\/(ink|react|react-reconciler|yoga-layout|chalk)\//;
const traces = fs.mkdtempSync(path.join(os.tmpdir(), 'pbash-loads-'));
let nTrace = 0;
const traceFile = (): string => path.join(traces, `loads-${nTrace++}`);
test.after.always(() => fs.rmSync(traces, { recursive: true, force: true }));
const loaded = (file: string): string[] => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : []);

const why = rootfsUnavailableReason();
(why ? test.skip : test)('at run time pbash -c true loads no ink, react or chalk; the dashboard runs them from its bundle', async (t) => {
  const home = tempHome();
  const trace = traceFile();
  const env = homeEnv(home, { PBASH_TRACE_LOADS: trace });
  const traced = await run(process.execPath, ['--import', TRACER, pbashBin, '--root', await getRootfs(), '-c', 'true'], { env });
  t.is(traced.exitCode, 0, traced.stderr.toString());
  const urls = loaded(trace);
  t.true(urls.some((u) => u.endsWith('/dist/cli/main.bundle.cjs')), 'the trace saw the launch');
  t.deepEqual(urls.filter((u) => UI.test(u) || u.includes('/dist/cli/status/') || u.includes('/dist/cli/subcommands.js')), []);

  // the dashboard (no instance here: it shows "stopped"), on a terminal, from the build
  const dashTrace = traceFile();
  const s = onPty(process.execPath, ['--import', TRACER, pbashBin, 'status'], { env: homeEnv(tempHome(), { PBASH_TRACE_LOADS: dashTrace, TERM: 'xterm' }) });
  try {
    await s.expect(/stopped/);
    s.write('q');
    t.is(await s.exited, 0);
  } finally { s.kill(); }
  const dash = loaded(dashTrace);
  t.true(dash.some((u) => u.endsWith('/dist/cli/status/run.bundle.js')), 'the built dashboard ran, from its bundle');
  t.deepEqual(dash.filter((u) => UI.test(u) || /\/node_modules\/es-toolkit\//.test(u)), [], 'ink, react and their dependencies are in the bundle');
});
