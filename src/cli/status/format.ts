// Cell formatting for the dashboard: text cut or padded to a width, compact sizes, percentages, CPU times
// (as ps and top print them). Pure.

/** `s` in exactly `w` columns: cut with an ellipsis, or padded (at the start when `right`). */
export function fit(s: string, w: number, right = false): string {
  if (w <= 0) return '';
  const chars = [...s];
  if (chars.length > w) return w === 1 ? '…' : `${chars.slice(0, w - 1).join('')}…`;
  return right ? s.padStart(w) : s.padEnd(w);
}

/** `s` cut to at most `w` columns (with an ellipsis), never padded. */
export const cut = (s: string, w: number): string => ([...s].length > w ? fit(s, w) : s);

export const pct = (n: number): string => (n >= 99.95 ? '100' : n.toFixed(1));

/** Bytes in at most 6 columns: 512K, 23.4M, 1.2G. */
export function bytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.round(n / 1024)}K`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)}M`;
  return `${(n / 1024 ** 3).toFixed(1)}G`;
}

/** CPU time as top's TIME+: minutes:seconds.hundredths. */
export function cpuTime(ms: number): string {
  const cs = Math.floor(ms / 10);
  const m = Math.floor(cs / 6000), s = Math.floor(cs / 100) % 60, c = cs % 100;
  return `${m}:${String(s).padStart(2, '0')}.${String(c).padStart(2, '0')}`;
}

/** A tree branch before a command: nothing at the top level, then two columns per level. */
export const branch = (depth: number): string => (depth ? `${'  '.repeat(depth - 1)}└─ ` : '');

/** A distro's short name: an installed distro's name, or the last component of a --root directory. */
export const distroLabel = (name: string): string => (name.startsWith('/') ? name.split('/').filter(Boolean).pop() ?? '/' : name);
