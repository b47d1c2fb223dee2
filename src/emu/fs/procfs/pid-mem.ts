// /proc/<pid>/maps and smaps_rollup (fs/proc/task_mmu.c show_map_vma, show_smaps_rollup): the VMAs and
// the residency of their pages. Every page is private to its process here (fork copies, MAP_SHARED is
// private memory so far), so Pss equals Rss and nothing is shared.
import type { KProcess } from '../../kernel/process.js';
import type { Vma } from '../../mm/vma.js';
import { devMajor, devMinor } from '../constants.js';
import { residentBytes } from './tasks.js';

const hex = (n: number, w = 8): string => n.toString(16).padStart(w, '0');
const dd = (n: number): string => n.toString(16).padStart(2, '0');

/** The maps line prefix, padded so names start in column 73 as seq_pad does on 64-bit. */
function mapLine(start: number, end: number, perms: string, off: number, dev: number, ino: bigint, name: string): string {
  const head = `${hex(start)}-${hex(end)} ${perms} ${hex(off)} ${dd(devMajor(dev))}:${dd(devMinor(dev))} ${ino} `;
  return name ? `${head.padEnd(73)}${name}\n` : `${head}\n`;
}

const perms = (v: Vma): string =>
  `${v.prot & 1 ? 'r' : '-'}${v.prot & 2 ? 'w' : '-'}${v.prot & 4 ? 'x' : '-'}${v.shared ? 's' : 'p'}`;

export function mapsText(p: KProcess): string {
  if (p.zombie) return '';
  return p.mm.vmas.list.map((v) =>
    mapLine(v.start, v.end, perms(v), v.file ? v.offset : 0, v.file?.dev ?? 0, v.file?.ino ?? 0n, v.name)).join('');
}

const line = (label: string, bytes: number): string => `${`${label}:`.padEnd(16)}${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;

export function smapsRollupText(p: KProcess): string {
  if (p.zombie || p.mm.vmas.list.length === 0) return '';
  const list = p.mm.vmas.list;
  let anon = 0, file = 0, locked = 0;
  for (const v of list) {
    const res = residentBytes(p, v);
    if (v.file) file += res; else anon += res;
    if (v.locked) locked += res;
  }
  const rss = anon + file;
  const out = [mapLine(list[0]!.start, list[list.length - 1]!.end, '---p', 0, 0, 0n, '[rollup]')];
  const rows: [string, number][] = [
    ['Rss', rss], ['Pss', rss], ['Pss_Dirty', rss], ['Pss_Anon', anon], ['Pss_File', file], ['Pss_Shmem', 0],
    ['Shared_Clean', 0], ['Shared_Dirty', 0], ['Private_Clean', 0], ['Private_Dirty', rss], ['Referenced', rss],
    ['Anonymous', anon], ['LazyFree', 0], ['AnonHugePages', 0], ['ShmemPmdMapped', 0], ['FilePmdMapped', 0],
    ['Shared_Hugetlb', 0], ['Private_Hugetlb', 0], ['Swap', 0], ['SwapPss', 0], ['Locked', locked],
  ];
  for (const [k, v] of rows) out.push(line(k, v));
  return out.join('');
}
