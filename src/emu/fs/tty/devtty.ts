// /dev/tty (drivers/tty/tty_io.c tty_open_current_tty): the caller's controlling terminal, ENXIO without one.
// /dev/console (5:1) opens the same: the instance has no system console, its sessions' terminals stand in.
import { E, err } from '../../kernel/errno.js';
import type { Task } from '../../kernel/task.js';
import { S_IFCHR, makedev } from '../constants.js';
import type { Dentry } from '../dentry.js';
import type { OpenFile } from '../file.js';
import { Node } from '../node.js';
import { type Stat, synthStat } from '../stat.js';
import type { SynthFs } from '../synth.js';
import { PtySlave } from './pty.js';
import { controllingTty } from './registry.js';

export class DevTtyNode extends Node {
  readonly type = S_IFCHR;
  constructor(readonly fs: SynthFs, readonly ino: number, private readonly minor = 0, private readonly perm = 0o666) { super(); }

  stat(): Stat { return synthStat(this.fs.dev, this.ino, S_IFCHR | this.perm, { rdev: makedev(5, this.minor) }); }

  override open(d: Dentry, flags: number, t: Task): OpenFile { return openCurrentTty(d, flags, t); }
}

/** 5,0: the caller's controlling terminal. */
export function openCurrentTty(d: Dentry, flags: number, t: Task): OpenFile {
  const tty = controllingTty(t.kernel, t.process);
  if (!tty) throw err(E.ENXIO);
  return new PtySlave(flags, d, tty);
}
