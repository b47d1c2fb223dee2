// /proc/<pid>/limits (fs/proc/base.c proc_pid_limits): the process's resource limits, one per line.
import type { KProcess } from '../../kernel/process.js';
import { RLIM_INFINITY } from '../../kernel/rlimits.js';

/** Names and units in RLIMIT_* order. */
const NAMES: [string, string][] = [
  ['Max cpu time', 'seconds'], ['Max file size', 'bytes'], ['Max data size', 'bytes'], ['Max stack size', 'bytes'],
  ['Max core file size', 'bytes'], ['Max resident set', 'bytes'], ['Max processes', 'processes'],
  ['Max open files', 'files'], ['Max locked memory', 'bytes'], ['Max address space', 'bytes'],
  ['Max file locks', 'locks'], ['Max pending signals', 'signals'], ['Max msgqueue size', 'bytes'],
  ['Max nice priority', ''], ['Max realtime priority', ''], ['Max realtime timeout', 'us'],
];

const value = (v: bigint): string => (v === RLIM_INFINITY ? 'unlimited' : v.toString()).padEnd(20);

export function limitsText(p: KProcess): string {
  const out = [`${'Limit'.padEnd(25)} ${'Soft Limit'.padEnd(20)} ${'Hard Limit'.padEnd(20)} ${'Units'.padEnd(10)}\n`];
  NAMES.forEach(([name, unit], i) => {
    const l = p.rlimits[i]!;
    out.push(`${name.padEnd(25)} ${value(l.cur)} ${value(l.max)} ${unit ? unit.padEnd(10) : ''}\n`);
  });
  return out.join('');
}
