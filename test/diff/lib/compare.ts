// Compare the two sides of a case and describe the differences readably: a line diff for text,
// the first differing offset with hex around it for binary output.
import type { DiffCase } from './cases.js';
import type { SideResult } from './sides.js';

export interface Comparison {
  ok: boolean;
  /** Which parts differ: "exit", "stdout", "stderr", "files". */
  differs: string[];
  /** Human-readable report (empty when ok). */
  report: string;
}

const MAX_DIFF_LINES = 40;

function normalize(c: DiffCase, b: Buffer): Buffer {
  if (!c.normalize?.length) return b;
  let s = b.toString('latin1');
  for (const [re, rep] of c.normalize) s = s.replace(new RegExp(re, 'g'), rep);
  return Buffer.from(s, 'latin1');
}

function isText(b: Buffer): boolean {
  if (b.includes(0)) return false;
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b);
}

/** Unified-style line diff via LCS (bounded: large inputs fall back to the first differing line). */
export function lineDiff(a: string, b: string): string[] {
  const A = a.split('\n');
  const B = b.split('\n');
  let pre = 0;
  while (pre < A.length && pre < B.length && A[pre] === B[pre]) pre++;
  let suf = 0;
  while (suf < A.length - pre && suf < B.length - pre && A[A.length - 1 - suf] === B[B.length - 1 - suf]) suf++;
  const a2 = A.slice(pre, A.length - suf);
  const b2 = B.slice(pre, B.length - suf);
  const out: string[] = [`@@ first difference at line ${pre + 1} @@`];
  if (pre > 0) out.push(`  ${A[pre - 1]}`);
  if (a2.length * b2.length > 4_000_000) {
    out.push(...a2.slice(0, 5).map((l) => `- ${l}`), ...b2.slice(0, 5).map((l) => `+ ${l}`), '  (large difference, diff truncated)');
    return out;
  }
  // LCS table over the differing middle.
  const n = a2.length, m = b2.length;
  const L: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    L[i]![j] = a2[i] === b2[j] ? L[i + 1]![j + 1]! + 1 : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
  }
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a2[i] === b2[j]) { out.push(`  ${a2[i]}`); i++; j++; }
    else if (j < m && (i === n || L[i]![j + 1]! >= L[i + 1]![j]!)) { out.push(`+ ${b2[j]}`); j++; }
    else { out.push(`- ${a2[i]}`); i++; }
  }
  if (suf > 0) out.push(`  ${A[A.length - suf]}`);
  return out;
}

function hexAround(b: Buffer, off: number): string {
  const start = Math.max(0, off - 8);
  return `${b.subarray(start, start + 24).toString('hex').replace(/(..)/g, '$1 ').trim()} (from offset ${start})`;
}

function describe(label: string, native: Buffer, other: Buffer, otherName: string): string {
  const head = `--- ${label}: native (${native.length} bytes)\n+++ ${label}: ${otherName} (${other.length} bytes)`;
  if (isText(native) && isText(other)) {
    const lines = lineDiff(native.toString('utf8'), other.toString('utf8'));
    const shown = lines.slice(0, MAX_DIFF_LINES);
    if (lines.length > shown.length) shown.push(`  ... ${lines.length - shown.length} more diff lines`);
    return `${head}\n${shown.join('\n')}`;
  }
  let off = 0;
  while (off < native.length && off < other.length && native[off] === other[off]) off++;
  return `${head}\nbinary output differs at offset ${off}\n- ${hexAround(native, off)}\n+ ${hexAround(other, off)}`;
}

export function compareSides(c: DiffCase, native: SideResult, other: SideResult, otherName = 'pbash'): Comparison {
  const parts: string[] = [];
  const differs: string[] = [];
  if (native.timedOut) parts.push('native run timed out');
  if (other.timedOut) parts.push(`${otherName} run timed out`);
  if (native.exitCode !== other.exitCode) {
    differs.push('exit');
    parts.push(`exit status: native ${native.exitCode}, ${otherName} ${other.exitCode}`);
  }
  for (const [label, a, b] of [['stdout', native.stdout, other.stdout], ['stderr', native.stderr, other.stderr]] as const) {
    const na = normalize(c, a), nb = normalize(c, b);
    if (!na.equals(nb)) { differs.push(label); parts.push(describe(label, na, nb, otherName)); }
  }
  if (native.tree !== other.tree) {
    differs.push('files');
    parts.push(describe('files after the run', Buffer.from(native.tree), Buffer.from(other.tree), otherName));
  }
  const ok = parts.length === 0;
  return { ok, differs, report: ok ? '' : `case ${c.name} (${c.file}): ${c.sh !== undefined ? `sh -c ${JSON.stringify(c.sh)}` : JSON.stringify(c.argv)}\n${parts.join('\n')}` };
}
