// The system-wide files of /proc (fs/proc/meminfo.c, stat.c, uptime.c, loadavg.c, version.c, cpuinfo of
// arch/x86/kernel/cpu/proc.c): the instance's tasks, CPU accounting and memory, the emulated CPU.
import fs from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { Kernel } from '../../kernel/kernel.js';
import { memInfo } from '../../kernel/meminfo.js';
import { CPU_COUNT } from '../../kernel/sched-attr.js';
import { monotonicNs } from '../../kernel/clock.js';
import { HWCAP_X86 } from '../../loader/stack.js';
import { memSizes, processes, stateOf, leaderOf, ticks } from './tasks.js';

const kbLine = (label: string, bytes: number): string => `${`${label}:`.padEnd(16)}${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;

/** Resident anonymous and file-mapped bytes, and mlocked bytes, of every process (meminfo's and vmstat's). */
function residentTotals(kernel: Kernel): { anon: number; mapped: number; locked: number } {
  let anon = 0, mapped = 0, locked = 0;
  for (const p of processes(kernel).values()) {
    const m = memSizes(p);
    anon += m.rssAnon; mapped += m.rssFile; locked += m.locked;
  }
  return { anon, mapped, locked };
}

export function meminfoText(kernel: Kernel): string {
  const mi = memInfo(kernel);
  const { anon, mapped, locked } = residentTotals(kernel);
  const rows: [string, number][] = [
    ['MemTotal', mi.total], ['MemFree', mi.free], ['MemAvailable', mi.free], ['Buffers', 0], ['Cached', mi.shmem],
    ['SwapCached', 0], ['Active', anon + mapped], ['Inactive', 0], ['Active(anon)', anon], ['Inactive(anon)', 0],
    ['Active(file)', mapped], ['Inactive(file)', 0], ['Unevictable', locked], ['Mlocked', locked],
    ['SwapTotal', 0], ['SwapFree', 0], ['Dirty', 0], ['Writeback', 0], ['AnonPages', anon], ['Mapped', mapped],
    ['Shmem', mi.shmem], ['KReclaimable', 0], ['Slab', 0], ['SReclaimable', 0], ['SUnreclaim', 0], ['KernelStack', 0],
    ['PageTables', 0], ['SecPageTables', 0], ['NFS_Unstable', 0], ['Bounce', 0], ['WritebackTmp', 0],
    ['CommitLimit', mi.total], ['Committed_AS', anon + mapped], ['VmallocTotal', 34359738367 * 1024],
    ['VmallocUsed', 0], ['VmallocChunk', 0], ['Percpu', 0], ['AnonHugePages', 0], ['ShmemHugePages', 0],
    ['ShmemPmdMapped', 0], ['FileHugePages', 0], ['FilePmdMapped', 0],
  ];
  const huge = ['HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp'].map((k) => `${`${k}:`.padEnd(19)}${'0'.padStart(5)}\n`);
  return rows.map(([k, v]) => kbLine(k, v)).join('') + huge.join('') + kbLine('Hugepagesize', 2048 * 1024) + kbLine('Hugetlb', 0)
    + directMap();
}

/**
 * DirectMap4k/2M/1G: how the kernel maps the machine's memory by page size. MemTotal is the host's, so on a Linux
 * host these are the host kernel's own lines; elsewhere no kernel maps it that way and they are left out.
 */
function directMap(): string {
  try {
    return fs.readFileSync('/proc/meminfo', 'latin1').split('\n').filter((l) => l.startsWith('DirectMap')).map((l) => `${l}\n`).join('');
  } catch {
    return '';
  }
}

const uptimeNs = (kernel: Kernel): number => Number(monotonicNs() - kernel.bootHr);
/** Idle time: every CPU's share of the uptime not spent running tasks (the kernel runs them on one host thread). */
const idleNs = (kernel: Kernel): number => Math.max(0, uptimeNs(kernel) * CPU_COUNT - kernel.busyNs);

export function uptimeText(kernel: Kernel): string {
  const f = (ns: number): string => (Math.floor(ns / 1e7) / 100).toFixed(2);
  return `${f(uptimeNs(kernel))} ${f(idleNs(kernel))}\n`;
}

function running(kernel: Kernel): { running: number; total: number } {
  let r = 0, n = 0;
  for (const p of processes(kernel).values()) {
    for (const t of p.threads) { n++; if (stateOf(p, t)[0] === 'R') r++; }
    if (p.threads.size === 0 && stateOf(p, leaderOf(p))[0] === 'R') r++;
  }
  return { running: r, total: n };
}

/** The load figures are the host's (the instance keeps no run-queue average of its own); the counts are the instance's. */
export function loadavgText(kernel: Kernel): string {
  const { running: r, total } = running(kernel);
  return `${loadavg().map((l) => l.toFixed(2)).join(' ')} ${r}/${total} ${kernel.lastPid}\n`;
}

/** cpu lines: user time is every task's slices (all on cpu0: one host thread runs them), idle the rest. */
export function statText(kernel: Kernel): string {
  const n = CPU_COUNT;
  const up = uptimeNs(kernel);
  const line = (name: string, user: number, idle: number): string => `${name} ${ticks(user)} 0 0 ${ticks(idle)} 0 0 0 0 0 0\n`;
  const out = [line('cpu ', kernel.busyNs, idleNs(kernel))];
  for (let i = 0; i < n; i++) out.push(line(`cpu${i}`, i === 0 ? kernel.busyNs : 0, i === 0 ? Math.max(0, up - kernel.busyNs) : up));
  const { running: r } = running(kernel);
  out.push('intr 0\n', 'ctxt 0\n', `btime ${Math.floor(kernel.bootTimeMs / 1000)}\n`, `processes ${kernel.forks}\n`,
    `procs_running ${r}\n`, 'procs_blocked 0\n', 'softirq 0 0 0 0 0 0 0 0 0 0 0\n');
  return out.join('');
}

/**
 * /proc/vmstat (mm/vmstat.c): page counts in 4 KiB pages from the same figures as meminfo; event counters
 * (faults, paging, swapping) stay 0: the instance has no paging or swap to count.
 */
export function vmstatText(kernel: Kernel): string {
  const mi = memInfo(kernel);
  const { anon, mapped } = residentTotals(kernel);
  const pages = (bytes: number): number => Math.floor(bytes / 4096);
  const counts: [string, number][] = [
    ['nr_free_pages', pages(mi.free)], ['nr_zone_inactive_anon', 0], ['nr_zone_active_anon', pages(anon)],
    ['nr_zone_inactive_file', 0], ['nr_zone_active_file', pages(mapped)], ['nr_zone_unevictable', 0],
    ['nr_zone_write_pending', 0], ['nr_mlock', 0], ['nr_inactive_anon', 0], ['nr_active_anon', pages(anon)],
    ['nr_inactive_file', 0], ['nr_active_file', pages(mapped)], ['nr_unevictable', 0], ['nr_slab_reclaimable', 0],
    ['nr_slab_unreclaimable', 0], ['nr_anon_pages', pages(anon)], ['nr_mapped', pages(mapped)],
    ['nr_file_pages', pages(mi.shmem)], ['nr_dirty', 0], ['nr_writeback', 0], ['nr_shmem', pages(mi.shmem)],
    ['nr_kernel_stack', 0], ['nr_page_table_pages', 0], ['nr_swapcached', 0], ['nr_dirty_threshold', pages(mi.free) >> 2],
    ['nr_dirty_background_threshold', pages(mi.free) >> 3],
  ];
  const events = ['pgpgin', 'pgpgout', 'pswpin', 'pswpout', 'pgalloc_normal', 'pgfree', 'pgactivate', 'pgdeactivate',
    'pgfault', 'pgmajfault', 'pgrefill', 'pgsteal_kswapd', 'pgsteal_direct', 'pgscan_kswapd', 'pgscan_direct',
    'oom_kill', 'pgrotated', 'swap_ra', 'swap_ra_hit'];
  return counts.map(([k, v]) => `${k} ${v}\n`).join('') + events.map((k) => `${k} 0\n`).join('');
}

export const versionText = (kernel: Kernel): string =>
  `${kernel.uts.sysname} version ${kernel.uts.release} (pbash@pbash) (pbash) ${kernel.uts.version}\n`;

/** The filesystem types mount(2) knows, "nodev" for those without a backing device. */
export const filesystemsText = (): string =>
  ['nodev\tsysfs', 'nodev\ttmpfs', 'nodev\tproc', 'nodev\tdevtmpfs', 'nodev\tdevpts', 'nodev\tmqueue', '\thostfs'].map((l) => `${l}\n`).join('');

/** CPUID.1:EDX feature names by bit, as /proc/cpuinfo spells them (arch/x86/include/asm/cpufeatures.h). */
const EDX_FLAGS = ['fpu', 'vme', 'de', 'pse', 'tsc', 'msr', 'pae', 'mce', 'cx8', 'apic', '', 'sep', 'mtrr', 'pge', 'mca',
  'cmov', 'pat', 'pse36', 'pn', 'clflush', '', 'dts', 'acpi', 'mmx', 'fxsr', 'sse', 'sse2', 'ss', 'ht', 'tm', 'ia64', 'pbe'];

/** "key\t\t: " aligned on tab stops, as show_cpuinfo prints (a 16-character key takes no tab and no space). */
const cpuinfoKey = (k: string): string => (k.length >= 16 ? `${k}:` : `${k}${k.length < 8 ? '\t\t' : '\t'}: `);

/** One block per CPU: the emulated CPU (Unicorn's qemu64 model) with the host's clock rate. */
export function cpuinfoText(): string {
  const flags = [...EDX_FLAGS.filter((f, i) => f && (HWCAP_X86 >>> i) & 1), 'syscall', 'nx', 'lm'].join(' ');
  const host = cpus();
  const n = CPU_COUNT;
  const blocks: string[] = [];
  for (let i = 0; i < n; i++) {
    const mhz = host[i]?.speed ?? 0;
    const rows: [string, string | number][] = [
      ['processor', i], ['vendor_id', 'AuthenticAMD'], ['cpu family', 15], ['model', 107],
      ['model name', 'QEMU Virtual CPU version 2.5+'], ['stepping', 1], ['cpu MHz', mhz.toFixed(3)],
      ['cache size', '512 KB'], ['physical id', 0], ['siblings', n], ['core id', i], ['cpu cores', n], ['apicid', i],
      ['initial apicid', i], ['fpu', 'yes'], ['fpu_exception', 'yes'], ['cpuid level', 13], ['wp', 'yes'],
      ['flags', flags], ['bugs', ''], ['bogomips', (mhz * 2).toFixed(2)], ['TLB size', '1024 4K pages'], ['clflush size', 64],
      ['cache_alignment', 64], ['address sizes', '40 bits physical, 48 bits virtual'], ['power management', ''],
    ];
    // a list row with no entries ends at its colon (bugs: the emulated CPU has no speculation to mitigate)
    blocks.push(rows.map(([k, v]) => `${cpuinfoKey(k)}${v}`.replace(/ $/, '') + '\n').join('') + '\n');
  }
  return blocks.join('');
}

/**
 * /proc/devices (fs/proc/devices.c): the character majors the instance's drivers answer (mem for null, zero,
 * full, random, urandom; 5 for tty, console, ptmx; pts) and no block devices; lsfd names sources from it.
 */
export const devicesText = (): string =>
  'Character devices:\n  1 mem\n  5 /dev/tty\n  5 /dev/console\n  5 /dev/ptmx\n136 pts\n\nBlock devices:\n';

export const partitionsText = (): string => 'major minor  #blocks  name\n\n';
export const swapsText = (): string => 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n';
