// Compile a C test program from test/programs with gcc -static into a fresh directory, at test time
// (never committed as a binary). The directory can serve as a tiny root filesystem for --root.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './pbash.js';

/** Returns the host directory holding the binary at /<out> (default: the program's name). */
export function compileStatic(name: string, flags: string[] = [], out = name): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pbash-${name}-`));
  execFileSync('gcc', ['-static', '-O2', ...flags, '-o', path.join(dir, out), path.join(repoRoot, 'test', 'programs', `${name}.c`)]);
  return dir;
}
