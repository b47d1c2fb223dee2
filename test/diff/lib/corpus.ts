// Running the corpus: which cases run or skip (and why), one case end to end, bounded concurrency.
import fs from 'node:fs';
import path from 'node:path';
import type { DiffCase } from './cases.js';
import { casesDir } from './cases.js';
import { compareSides, type Comparison } from './compare.js';
import { runNative, runPbashSide, target, type SideResult } from './sides.js';

/**
 * Capabilities pbash has. A case whose `needs` are not all here is skipped with its reason
 * (try one early with PBASH_DIFF_NEEDS=poll,signals).
 */
export const SUPPORTED_NEEDS = new Set<string>([
  'fork', 'signals', 'poll',
  ...(process.env.PBASH_DIFF_NEEDS ?? '').split(',').filter(Boolean),
]);

const NEED_REASONS: Record<string, string> = {
  fork: 'needs fork/pipes (Processes issue)',
  poll: 'needs poll/select (Processes issue)',
  signals: 'needs signal delivery to handlers, sigsuspend (Processes issue)',
};

/**
 * Cases known to fail under pbash today, with why: test/diff/known-failures.json, {name: reason}.
 * They run as ava `test.failing` (reported as known failures; a case that starts passing fails the
 * suite until it is removed from the list, so the list only shrinks).
 */
export function loadKnownFailures(): Record<string, string> {
  const file = path.join(casesDir, '..', 'known-failures.json');
  if (!fs.existsSync(file) || target === 'native') return {};
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
}

export interface Context {
  /** Why user-switching cases cannot run (null when they can). */
  userSkip: string | null;
}

export function skipReason(c: DiffCase, ctx: Context): string | null {
  if (c.skip) return c.skip;
  for (const n of c.needs ?? []) if (!SUPPORTED_NEEDS.has(n)) return NEED_REASONS[n] ?? `needs ${n}`;
  if (c.user && ctx.userSkip) return ctx.userSkip;
  return null;
}

export interface CaseOutcome {
  native: SideResult;
  other: SideResult;
  cmp: Comparison;
}

export async function runCase(root: string, c: DiffCase): Promise<CaseOutcome> {
  const native = await runNative(root, c);
  const other = await runPbashSide(root, c);
  return { native, other, cmp: compareSides(c, native, other, target === 'native' ? 'native again' : 'pbash') };
}

/** A counting semaphore: at most `n` callers inside at once. */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try { return await fn(); } finally { active--; queue.shift()?.(); }
  };
}

export const JOBS = Math.max(1, Number(process.env.PBASH_DIFF_JOBS) || 2);
