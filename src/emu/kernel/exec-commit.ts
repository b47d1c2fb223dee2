// execve's point of no return (fs/exec.c begin_new_exec), shared by emulated images and host programs.
import type { Task } from './task.js';
import type { AddressSpace } from '../mm/address-space.js';
import { type KProcess, commOf } from './process.js';
import type { KTask } from './thread.js';
import { exitRobustList } from './robust-list.js';
import type { Engine } from '../cpu/engine.js';

const READ_IMPLIES_EXEC = 0x0400000;

/**
 * Close the close-on-exec fds, release robust futexes, return caught signals to SIG_DFL (ignored ones stay ignored), put the new
 * image in place (the old address space, or a vfork parent's loan, goes once the engine stops) and name
 * the process after the path exec'd (/bin/sh gives "sh"), as begin_new_exec sets comm.
 */
export function commitExec(t: Task, path: string, exe: string, argv: string[], env: string[], mm: AddressSpace,
  entry = 0, sp = 0): void {
  t.files.closeOnExec();
  // exec_mm_release: robust futexes released, and neither the list nor clear_child_tid survives into the new image
  exitRobustList(t as KTask);
  t.clearChildTid = 0;
  t.process.sigactions.forEach((a) => { if (a.handler > 1n) { a.handler = 0n; a.flags = 0n; a.mask = 0n; } });
  t.replaceImage(mm, entry, sp, exe, argv, env);
  (t.process as KProcess).execed = true;
  (t.process as KProcess).keepCaps = false; // SECBIT_KEEP_CAPS does not survive execve
  (t.process as KProcess).personality &= ~READ_IMPLIES_EXEC; // set_personality_64bit

  t.process.comm = commOf(path);
}

/** A new image's first registers: its stack and entry, and the FPU as fpu_reset leaves it (FNINIT's control
 * word 0x37f: 64-bit precision, exceptions masked; MXCSR_DEFAULT 0x1f80). */
export function startImage(e: Engine, entry: number, sp: number): void {
  e.set('rsp', sp);
  e.set('rip', entry);
  e.set('fpcw', 0x37f);
  e.set('mxcsr', 0x1f80);
}
