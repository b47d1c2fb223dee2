// pbash's version (package.json), read once: the CLI's --version and the client/daemon compatibility check.
import { readFileSync, statSync } from 'node:fs';

let cached: string | undefined;
let build: string | undefined;

export function pbashVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}

/**
 * What a client and its daemon must agree on: the version plus the build of the daemon's code, so that a
 * rebuilt tree (same package version) also replaces a daemon still running the old code.
 */
export function pbashBuild(): string {
  if (build === undefined) {
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    let stamp = 0;
    try { stamp = Math.floor(statSync(new URL(`../instance/daemon.${ext}`, import.meta.url)).mtimeMs); } catch { /* not built */ }
    build = `${pbashVersion()}+${stamp.toString(36)}`;
  }
  return build;
}
