// /proc/<pid>/maps, smaps and smaps_rollup (fs/proc/task_mmu.c show_map_vma, show_smap, show_smaps_rollup): the VMAs and
// the residency of their pages. Every page is private to its process here (fork copies, MAP_SHARED is
// private memory so far), so Pss equals Rss and nothing is shared.
import type { KProcess } from '../../kernel/process.js';
import type { Vma } from '../../mm/vma.js';
import { devMajor, devMinor } from '../constants.js';
import { PAGE, residentBytes } from './tasks.js';

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

/**
 * The residency rows smaps and smaps_rollup share (__show_smap): every resident page private and dirty;
 * the Pss split by kind is the rollup's only.
 */
function residencyRows(anon: number, file: number, locked: number, rollup: boolean): string {
  const rss = anon + file;
  const split: [string, number][] = rollup ? [['Pss_Anon', anon], ['Pss_File', file], ['Pss_Shmem', 0]] : [];
  const rows: [string, number][] = [
    ['Rss', rss], ['Pss', rss], ['Pss_Dirty', rss], ...split,
    ['Shared_Clean', 0], ['Shared_Dirty', 0], ['Private_Clean', 0], ['Private_Dirty', rss], ['Referenced', rss],
    ['Anonymous', anon], ['LazyFree', 0], ['AnonHugePages', 0], ['ShmemPmdMapped', 0], ['FilePmdMapped', 0],
    ['Shared_Hugetlb', 0], ['Private_Hugetlb', 0], ['Swap', 0], ['SwapPss', 0], ['Locked', locked],
  ];
  return rows.map(([k, v]) => line(k, v)).join('');
}

/**
 * VmFlags mnemonics (show_smap_vma_flags): access, may-access (a private mapping may always be written),
 * sharing, grows-down, locked, madvise's dc/wf/dd, and ac for accounted memory (private writable, as
 * mmap_region charges it).
 */
function vmFlags(v: Vma): string {
  const f: [boolean, string][] = [
    [(v.prot & 1) !== 0, 'rd'], [(v.prot & 2) !== 0, 'wr'], [(v.prot & 4) !== 0, 'ex'], [v.shared, 'sh'],
    [true, 'mr'], [!v.shared || v.mayWrite, 'mw'], [true, 'me'], [v.shared, 'ms'], [v.growsDown || v.kind === 'stack', 'gd'],
    [v.locked, 'lo'], [!!v.dontCopy, 'dc'], [!v.shared && (v.prot & 2) !== 0, 'ac'], [!!v.wipeOnFork, 'wf'], [!!v.dontDump, 'dd'],
  ];
  return f.filter(([on]) => on).map(([, name]) => `${name} `).join('');
}

/** smaps: each VMA's maps line, its size and residency, and its flags. */
export function smapsText(p: KProcess): string {
  if (p.zombie) return '';
  return p.mm.vmas.list.map((v) => {
    const res = residentBytes(p, v);
    const head = mapLine(v.start, v.end, perms(v), v.file ? v.offset : 0, v.file?.dev ?? 0, v.file?.ino ?? 0n, v.name);
    const rows = residencyRows(v.file ? 0 : res, v.file ? res : 0, v.locked ? res : 0, false);
    return `${head}${line('Size', v.end - v.start)}${line('KernelPageSize', PAGE)}${line('MMUPageSize', PAGE)}${rows}`
      + `THPeligible:    ${'0'.padStart(8)}\nVmFlags: ${vmFlags(v)}\n`;
  }).join('');
}

export function smapsRollupText(p: KProcess): string {
  if (p.zombie || p.mm.vmas.list.length === 0) return '';
  const list = p.mm.vmas.list;
  let anon = 0, file = 0, locked = 0;
  for (const v of list) {
    const res = residentBytes(p, v);
    if (v.file) file += res; else anon += res;
    if (v.locked) locked += res;
  }
  return mapLine(list[0]!.start, list[list.length - 1]!.end, '---p', 0, 0, 0n, '[rollup]') + residencyRows(anon, file, locked, true);
}
