// execve's image building (fs/exec.c bprm_execve / exec_binprm): resolve "#!" chains, parse and map the
// ELF and its PT_INTERP into a NEW engine, build the initial stack. On any failure the new engine is
// closed and the caller's process is untouched. Strings are byte strings (one char per byte) as the
// kernel passes them around; a JS string with chars above 0xff is encoded as UTF-8.
import { LinuxError, E } from '../kernel/errno.js';
import type { AddressSpace } from '../mm/address-space.js';
import type { BuiltinProgram } from '../fs/builtin-fs.js';
import { isElf, parseElf, type ExecSource } from './elf.js';
import { loadElf } from './load.js';
import { BINPRM_BUF_SIZE, isShebang, parseShebang } from './shebang.js';
import { buildStack, mapStack } from './stack.js';

export type { ExecSource } from './elf.js';
/** Resolve a guest path for execution in the caller's fs (ENOENT/EACCES/ENOTDIR...). */
export type OpenExec = (path: string) => ExecSource;

export interface LoadedImage { mm: AddressSpace; entry: number; sp: number; exe: string; argv: string[]; }
/** A host program reached (directly or as a "#!" interpreter): the host runs it (kernel/host-proxy.ts). */
export interface HostImage { hostPath: string; exe: string; argv: string[]; }
/** A kernel builtin program reached (directly or as a "#!" interpreter): the kernel runs it (kernel/builtin.ts). */
export interface BuiltinImage { builtin: BuiltinProgram; exe: string; argv: string[]; }

/** The ids the new image starts with (its auxv); `secure` is AT_SECURE (a privilege-raising exec). */
export interface ExecCreds { uid: number; euid: number; gid: number; egid: number; secure?: boolean; }

/** fs/exec.c exec_binprm(): a 6th handler in a chain (5 "#!" rewrites) is ELOOP. */
const MAX_DEPTH = 5;
/** ELIBBAD: the PT_INTERP file is not a usable ELF interpreter. */
const ELIBBAD = 80;

function readHead(src: ExecSource): Uint8Array {
  const buf = new Uint8Array(Math.min(BINPRM_BUF_SIZE, Math.max(0, src.size)));
  let done = 0;
  while (done < buf.length) {
    const n = src.readAt(buf.subarray(done), done);
    if (n <= 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}

/**
 * `creds`: the ids, or how the executable (the last of a "#!" chain: its set-id bits count) decides them.
 * `newSpace(file)`: the empty address space the image of `file` is built in (AddressSpace.create).
 * `hostProgram`: what a host program becomes (execve starts a proxy process); without it, ENOEXEC.
 */
export function loadImage<H = never>(open: OpenExec, path: string, argv: string[], envp: string[],
  creds: ExecCreds | ((file: ExecSource) => ExecCreds),
  newSpace: (file: string) => AddressSpace, hostProgram?: (img: HostImage | BuiltinImage) => H): LoadedImage | H {
  let args = argv.length ? argv.slice() : ['']; // Linux >= 5.18 never starts a program with argc 0
  let file = path;
  let src: ExecSource;
  for (let depth = 0; ; depth++) {
    if (depth > MAX_DEPTH) throw new LinuxError(E.ELOOP);
    src = open(file);
    if (src.builtin) {
      if (!hostProgram) throw new LinuxError(E.ENOEXEC, `${src.path}: a builtin program can only be started by execve`);
      return hostProgram({ builtin: src.builtin, exe: src.path, argv: args });
    }
    if (src.hostPath) {
      if (!hostProgram) throw new LinuxError(E.ENOEXEC, `${src.path}: a host program can only be started by execve`);
      return hostProgram({ hostPath: src.hostPath, exe: src.path, argv: args });
    }
    const head = readHead(src);
    if (isShebang(head)) {
      // binfmt_script: the interpreter would find /dev/fd/N closed by the exec
      if (src.pathInaccessible) throw new LinuxError(E.ENOENT, `${file}: a script named by a close-on-exec fd`);
      const sb = parseShebang(head);
      args = [sb.interp, ...(sb.arg !== null ? [sb.arg] : []), file, ...args.slice(1)];
      file = sb.interp;
      continue;
    }
    if (!isElf(head)) throw new LinuxError(E.ENOEXEC, 'unknown executable format');
    break;
  }
  const elf = parseElf(src);
  let interp: { src: ExecSource; elf: ReturnType<typeof parseElf> } | null = null;
  if (elf.interp !== null) {
    const isrc = open(elf.interp);
    try {
      interp = { src: isrc, elf: parseElf(isrc) };
    } catch (e) {
      if (e instanceof LinuxError && e.errno === E.ENOEXEC) throw new LinuxError(ELIBBAD, `${elf.interp}: ${e.message}`);
      throw e;
    }
  }
  const mm = newSpace(src.path);
  try {
    mapStack(mm, elf.execStack);
    const main = loadElf(mm, src, elf, 'main');
    mm.initBrk(main.end);
    const ld = interp ? loadElf(mm, interp.src, interp.elf, 'interp') : null;
    const sp = buildStack(mm, {
      argv: args, envp, execfn: path, creds: typeof creds === 'function' ? creds(src) : creds, phdr: main.phdr, phnum: main.phnum, entry: main.entry,
      interpBase: ld ? ld.bias : 0, execStack: elf.execStack,
    });
    return { mm, entry: ld ? ld.entry : main.entry, sp, exe: src.path, argv: args };
  } catch (e) {
    mm.close();
    throw e;
  }
}
