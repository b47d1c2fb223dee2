// Run the differential corpus outside ava and print one line per case (and the diffs of failures).
//
//   node --import tsx test/diff/run-corpus.ts [--verbose] [--filter REGEX] [--write-known-failures]
//   PBASH_DIFF_TARGET=native node --import tsx test/diff/run-corpus.ts     (self-check: native vs native)
//
// --write-known-failures rewrites test/diff/known-failures.json with the cases failing now (keeping
// existing reasons, else the parts that differ plus the first line of the diff): review it before committing.
import fs from 'node:fs';
import path from 'node:path';
import { casesDir, loadCases } from './lib/cases.js';
import { JOBS, limiter, loadKnownFailures, runCase, skipReason } from './lib/corpus.js';
import { ensureScratchBase, removeScratchBase } from './lib/scratch.js';
import { removeOverlayBase } from './lib/overlay.js';
import { probeUserSupport, target } from './lib/sides.js';
import { getRootfs } from '../helpers/rootfs.js';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose') || args.includes('-v');
const fi = args.indexOf('--filter');
const filter = fi >= 0 ? new RegExp(args[fi + 1]!) : null;
const writeKnown = args.includes('--write-known-failures');
const show = args.includes('--show');

const root = await getRootfs();
ensureScratchBase(root);
const cases = loadCases().filter((c) => !filter || filter.test(c.name));
const ctx = { userSkip: await probeUserSupport(root) };
const known = loadKnownFailures();
const limit = limiter(JOBS);
const started = Date.now();
let passed = 0, failed = 0, skipped = 0;
const failures: Record<string, string> = {};

function preview(b: Buffer): string {
  const s = JSON.stringify(b.subarray(0, 160).toString('utf8'));
  return b.length > 160 ? `${s}... (${b.length} bytes)` : s;
}

const results = cases.map((c) => {
  const why = skipReason(c, ctx);
  if (why) return Promise.resolve({ c, line: `SKIP ${c.name}: ${why}`, kind: 'skip' as const, report: '' });
  return limit(() => runCase(root, c)).then(({ cmp, native, other }) => {
    if (!cmp.ok) {
      const first = cmp.report.split('\n').find((l) => /^(exit status|binary|[-+] )/.test(l)) ?? '';
      failures[c.name] = known[c.name] ?? `differs in ${cmp.differs.join(', ') || 'run'}${first ? `: ${first}` : ''}`.slice(0, 200);
    }
    return {
      c,
      line: `${cmp.ok ? 'PASS' : 'FAIL'} ${c.name} (${other.durationMs.toFixed(0)} ms)${cmp.ok ? '' : ` [${cmp.differs.join(',')}]`}`,
      kind: cmp.ok ? ('pass' as const) : ('fail' as const),
      report: cmp.report + (show ? `\n  exit ${native.exitCode}\n  stdout: ${preview(native.stdout)}\n  stderr: ${preview(native.stderr)}` : ''),
    };
  }, (e: unknown) => {
    failures[c.name] = known[c.name] ?? `error: ${e instanceof Error ? e.message : String(e)}`.slice(0, 200);
    return { c, line: `FAIL ${c.name} [error]`, kind: 'fail' as const, report: `error: ${e instanceof Error ? e.stack : String(e)}` };
  });
});

for (const p of results) {
  const r = await p;
  console.log(r.line);
  if ((r.kind === 'fail' && verbose) || (show && r.report)) console.log(r.report.split('\n').map((l) => `    ${l}`).join('\n'));
  if (r.kind === 'pass') passed++; else if (r.kind === 'fail') failed++; else skipped++;
}
console.log(`\ntarget: ${target}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (writeKnown && target === 'pbash') {
  const file = path.join(casesDir, '..', 'known-failures.json');
  // With --filter, entries of cases that did not run are kept.
  const ran = new Set(cases.map((c) => c.name));
  const kept = Object.entries(known).filter(([name]) => !ran.has(name));
  const sorted = Object.fromEntries([...kept, ...Object.entries(failures)].sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(file, JSON.stringify(sorted, null, 2) + '\n');
  console.log(`wrote ${Object.keys(sorted).length} known failures to ${path.relative(process.cwd(), file)}`);
}
removeScratchBase(root);
removeOverlayBase();
process.exitCode = failed ? 1 : 0;
