// The differential corpus is data: test/diff/cases/*.json, each an array of cases (schema below).
// A case names a command; it never names an expected output: real Linux (the native run) is the oracle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file to create in the case's scratch directory before each run. */
export type FileSpec =
  | string // UTF-8 text, mode 0644
  | {
      text?: string;
      /** Raw bytes. */
      base64?: string;
      /** `text` repeated `count` times (for bigger inputs without bloating the JSON). */
      repeat?: { text: string; count: number };
      /** Octal permission string, e.g. "755". */
      mode?: string;
      /** Make a symlink with this target instead of a file. */
      symlink?: string;
      /** Make a directory (keys ending in "/" are directories too). */
      dir?: true;
    };

export interface DiffCase {
  /** Unique, [a-z0-9._-]+; also names the scratch directory. */
  name: string;
  /** Program and arguments, run through `env -i ENV...` (so a bare name is looked up in the guest PATH). */
  argv?: string[];
  /** A command for /bin/sh -c (exactly one of argv, sh and script). */
  sh?: string;
  /**
   * A shell script (a string, or lines joined with newlines) run as `SHELL -c SCRIPT` under each of
   * `shells`; the loader expands it into one case per shell, named NAME.SHELL (see SHELLS).
   */
  script?: string | string[];
  /** With `script`: the shells it runs under (default: all of SHELLS). */
  shells?: ShellName[];
  /** stdin contents (UTF-8); otherwise stdin is empty. */
  stdin?: string;
  stdinBase64?: string;
  /** Files created in the scratch directory (paths relative to it). */
  files?: Record<string, FileSpec>;
  /** Commands run natively in the scratch dir after `files`, to derive fixtures (archives, checksums). */
  setup?: string[][];
  /** Guest working directory; defaults to the scratch directory. */
  cwd?: string;
  /** Run as this user: only "nobody" (uid/gid 65534) for now. */
  user?: 'nobody';
  /**
   * "overlay": the case may change the rootfs; each side runs on its own overlay of it and the changes
   * (the overlay's upper dir) are compared too (see lib/overlay.ts).
   */
  root?: 'overlay';
  /**
   * With root "overlay": rootfs paths (relative, e.g. "var/log/dpkg.log"; a directory covers what is under
   * it) whose contents record times, so only their type, mode, owner and size are compared.
   */
  rootTimes?: string[];
  /** Capabilities the case needs beyond single-process programs, e.g. "fork". */
  needs?: string[];
  /** Skip with this reason. */
  skip?: string;
  /** Per-run timeout in ms (default 60000). */
  timeout?: number;
  /** [regex, replacement] pairs applied to stdout and stderr of both sides before comparing. */
  normalize?: [string, string][];
  /** Free text: why the case exists. */
  note?: string;
  /** Set by the loader: the JSON file it came from. */
  file?: string;
}

/** The shells of the test rootfs a `script` case runs under: bash 5.2, dash (/bin/sh), busybox ash. */
export const SHELLS = {
  bash: ['/bin/bash', '-c'],
  dash: ['/bin/dash', '-c'],
  ash: ['/usr/local/bin/busybox', 'sh', '-c'],
} as const;
export type ShellName = keyof typeof SHELLS;

export const casesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../cases');

const KEYS = new Set(['name', 'argv', 'sh', 'script', 'shells', 'stdin', 'stdinBase64', 'files', 'setup', 'cwd', 'user', 'root', 'rootTimes', 'needs', 'skip', 'timeout', 'normalize', 'note']);

function validate(c: DiffCase, where: string): void {
  const bad = (msg: string): never => { throw new Error(`${where}: case ${JSON.stringify(c.name)}: ${msg}`); };
  if (typeof c.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(c.name)) bad('name must match [a-z0-9][a-z0-9._-]*');
  for (const k of Object.keys(c)) if (!KEYS.has(k)) bad(`unknown key ${k}`);
  if ([c.argv, c.sh, c.script].filter((x) => x !== undefined).length !== 1) bad('exactly one of argv, sh and script');
  if (c.shells !== undefined && (c.script === undefined || !Array.isArray(c.shells) || c.shells.some((n) => !(n in SHELLS)))) {
    bad(`shells needs script and names among ${Object.keys(SHELLS).join(', ')}`);
  }
  if (c.argv && (!Array.isArray(c.argv) || c.argv.length === 0 || c.argv.some((a) => typeof a !== 'string'))) bad('argv must be a non-empty string array');
  if (c.user !== undefined && c.user !== 'nobody') bad('user must be "nobody"');
  if (c.root !== undefined && c.root !== 'overlay') bad('root must be "overlay"');
  if (c.rootTimes !== undefined && (c.root !== 'overlay' || !Array.isArray(c.rootTimes) || c.rootTimes.some((p) => typeof p !== 'string' || p.startsWith('/')))) {
    bad('rootTimes needs root "overlay" and relative paths');
  }
  for (const [rel] of Object.entries(c.files ?? {})) {
    if (rel.startsWith('/') || rel.split('/').includes('..')) bad(`file path ${rel} must stay inside the scratch dir`);
  }
}

/** A `script` case as one argv case per shell (NAME.SHELL); other cases unchanged. */
export function expandShells(c: DiffCase): DiffCase[] {
  if (c.script === undefined) return [c];
  const { script, shells, ...rest } = c;
  const text = Array.isArray(script) ? script.join('\n') : script;
  return (shells ?? (Object.keys(SHELLS) as ShellName[])).map((sh) => ({ ...rest, name: `${c.name}.${sh}`, argv: [...SHELLS[sh], text] }));
}

/** All cases of all JSON files, in file then array order; names are unique across the corpus. */
export function loadCases(dir = casesDir): DiffCase[] {
  const out: DiffCase[] = [];
  const seen = new Map<string, string>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const list = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as DiffCase[];
    if (!Array.isArray(list)) throw new Error(`${f}: must be a JSON array of cases`);
    for (const c of list) {
      validate(c, f);
      for (const e of expandShells(c)) {
        if (seen.has(e.name)) throw new Error(`${f}: case ${e.name} duplicates one in ${seen.get(e.name)}`);
        seen.set(e.name, f);
        out.push({ ...e, file: f });
      }
    }
  }
  return out;
}
