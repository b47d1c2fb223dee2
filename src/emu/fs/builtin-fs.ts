// A kernel builtin program's file: one executable regular file, mounted read-only over its path (as a
// file bind mount), whose execve the kernel serves itself (kernel/builtin.ts) — WSL's /init plays this
// part for wslpath. Reading it gives a one-line note; its content is never executed.
import type { Task } from '../kernel/task.js';
import { S_IFREG } from './constants.js';
import type { Dentry } from './dentry.js';
import type { OpenFile } from './file.js';
import { Node } from './node.js';
import { type Stat, synthStat } from './stat.js';
import { BufferFile, SynthFs } from './synth.js';

/** What the kernel runs in place of an image: argv, envp and cwd are byte strings, as execve passes them. */
export interface BuiltinRun { argv: string[]; env: string[]; cwd: string; }
/** The program's whole effect: an exit status and its output on fd 1 and fd 2 (byte strings). */
export interface BuiltinResult { status: number; stdout: string; stderr: string; }
export type BuiltinProgram = (run: BuiltinRun) => BuiltinResult;

const BUILTIN_MAGIC = 0x70626173; // 'pbas': no real filesystem shares it

export class BuiltinFs extends SynthFs {
  readonly type = 'pbash';
  readonly root: BuiltinNode;
  constructor(name: string, program: BuiltinProgram) {
    super(BUILTIN_MAGIC);
    this.root = new BuiltinNode(this, this.ino(), name, program);
  }
}

export class BuiltinNode extends Node {
  readonly type = S_IFREG;
  private readonly text: Buffer;
  constructor(readonly fs: BuiltinFs, readonly ino: number, name: string, readonly program: BuiltinProgram) {
    super();
    this.text = Buffer.from(`${name}: a program built into the pbash kernel\n`);
  }

  stat(): Stat { return synthStat(this.fs.dev, this.ino, S_IFREG | 0o755, { size: this.text.length }); }

  override open(d: Dentry, flags: number, _t: Task): OpenFile { return new BufferFile(flags, d, this.text, () => this.stat()); }
}
