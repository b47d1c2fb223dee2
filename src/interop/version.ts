// pbash's version (package.json), read once: the CLI's --version and the client/daemon compatibility check.
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function pbashVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
