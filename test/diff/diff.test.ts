// Differential tests: each case in test/diff/cases/*.json runs natively (chroot into the bookworm rootfs)
// and under bin/pbash on the same rootfs; stdout, stderr, exit status and the scratch files must match.
// See test/diff/README.md. PBASH_DIFF_TARGET=native runs the corpus against itself (a determinism check).
import test from 'ava';
import { loadCases } from './lib/cases.js';
import { JOBS, limiter, loadKnownFailures, runCase, skipReason, type Context } from './lib/corpus.js';
import { ensureScratchBase, removeScratchBase } from './lib/scratch.js';
import { removeOverlayBase } from './lib/overlay.js';
import { probeUserSupport, target } from './lib/sides.js';
import { pbashMissingReason } from '../helpers/pbash.js';
import { getRootfs, rootfsUnavailableReason } from '../helpers/rootfs.js';

const cases = loadCases();
const unavailable = rootfsUnavailableReason() ?? (process.getuid?.() !== 0 ? 'native runs need root (chroot)' : null);

if (unavailable) {
  test.skip(`differential corpus (${cases.length} cases) — skipped: ${unavailable}`, () => {});
} else {
  const root = await getRootfs();
  ensureScratchBase(root);
  const missing = target === 'pbash' ? pbashMissingReason() : null;
  const ctx: Context = { userSkip: missing ? null : await probeUserSupport(root) };
  const known = loadKnownFailures();
  test.after.always(() => { removeScratchBase(root); removeOverlayBase(); }); // declared after the last await, as ava wants
  const limit = limiter(JOBS);

  test('corpus has at least 80 runnable cases', (t) => {
    const runnable = cases.filter((c) => !c.needs?.length && !c.skip);
    t.true(runnable.length >= 80, `${runnable.length} runnable cases`);
  });

  for (const c of cases) {
    const why = skipReason(c, ctx);
    if (why) { test.skip(`${c.name} — skipped: ${why}`, () => {}); continue; }
    const knownWhy = known[c.name];
    const declare = knownWhy ? test.failing : test;
    declare(knownWhy ? `${c.name} (known failure: ${knownWhy})` : c.name, async (t) => {
      if (missing) { t.fail(`cannot run pbash: ${missing}`); return; }
      const { cmp } = await limit(() => runCase(root, c));
      if (!cmp.ok) t.log(cmp.report);
      t.true(cmp.ok, `differs in ${cmp.differs.join(', ') || 'run'}`);
    });
  }
}
