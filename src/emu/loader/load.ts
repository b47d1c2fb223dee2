// Mapping an ELF image's PT_LOAD segments into an address space (fs/binfmt_elf.c load_elf_binary,
// elf_map, padzero, load_elf_interp). Each segment becomes a private file mapping of its pages plus
// anonymous zero pages for the bss past the file part; later segments replace shared pages (MAP_FIXED),
// as in Linux.
import { LinuxError, E } from '../kernel/errno.js';
import type { AddressSpace } from '../mm/address-space.js';
import { ELF_ET_DYN_BASE, MMAP_MIN_ADDR, PROT, TASK_SIZE, alignDown, alignUp } from '../mm/layout.js';
import { ET_DYN, PF_R, PF_W, PF_X, maxAlign, type ElfImage, type ExecSource } from './elf.js';

export interface LoadedElf {
  /** Load bias (0 for ET_EXEC). */
  bias: number;
  /** Entry point after relocation. */
  entry: number;
  /** AT_PHDR: where the program headers are in memory (0 if no segment holds them). */
  phdr: number;
  phnum: number;
  /** End of the highest segment (bss included): the program break starts after it. */
  end: number;
}

/** Sanity bound on an image's address span (real ones are MiBs; a corrupt p_memsz must not map TiBs). */
const MAX_IMAGE_SPAN = 16 * 1024 * 1024 * 1024;

const protOf = (flags: number): number =>
  (flags & PF_R ? PROT.READ : 0) | (flags & PF_W ? PROT.WRITE : 0) | (flags & PF_X ? PROT.EXEC : 0);

/**
 * Map `elf` (read from `src`) into `mm`. The main program's ET_DYN goes at ELF_ET_DYN_BASE (also a static
 * PIE: Linux puts those in the mmap area, we prefer the roomy PIE slot for its brk); an interpreter goes
 * top-down in the mmap area, its whole span reserved at once.
 */
export function loadElf(mm: AddressSpace, src: ExecSource, elf: ElfImage, role: 'main' | 'interp'): LoadedElf {
  const lo = alignDown(elf.loads[0].vaddr);
  const last = elf.loads[elf.loads.length - 1];
  const hi = alignUp(last.vaddr + last.memsz);
  const span = hi - lo;
  if (span > MAX_IMAGE_SPAN) throw new LinuxError(E.ENOMEM, 'image span too large');
  let bias = 0;
  if (elf.type === ET_DYN) {
    const align = maxAlign(elf.loads);
    if (role === 'main') {
      bias = alignDown(ELF_ET_DYN_BASE - lo, align);
    } else {
      bias = mm.findArea(0, span, 0, align) - lo;
    }
  }
  if (bias + lo < MMAP_MIN_ADDR) throw new LinuxError(E.EPERM, 'segment below mmap_min_addr');
  if (bias + hi > TASK_SIZE || !mm.vmas.isFree(bias + lo, bias + hi)) throw new LinuxError(E.ENOMEM, 'image collides');
  for (const p of elf.loads) {
    const prot = protOf(p.flags);
    const start = bias + p.vaddr;
    const pageStart = alignDown(start);
    const fileEnd = start + p.filesz;
    const fileMapEnd = p.filesz > 0 ? alignUp(fileEnd) : pageStart;
    const memEnd = alignUp(start + p.memsz);
    if (fileMapEnd > pageStart) {
      mm.mapFixed(pageStart, fileMapEnd - pageStart, {
        prot, kind: 'file', name: src.path, file: src, offset: p.offset - (start - pageStart),
      });
      if (p.memsz > p.filesz) mm.backing.zero(fileEnd, fileMapEnd); // padzero: to the page end (rtld's malloc relies on it)
    }
    if (memEnd > fileMapEnd) mm.mapFixed(fileMapEnd, memEnd - fileMapEnd, { prot });
  }
  let phdr = 0;
  for (const p of elf.loads) {
    if (p.offset <= elf.phoff && elf.phoff < p.offset + p.filesz) { phdr = bias + p.vaddr + (elf.phoff - p.offset); break; }
  }
  return { bias, entry: bias + elf.entry, phdr, phnum: elf.phnum, end: bias + last.vaddr + last.memsz };
}
