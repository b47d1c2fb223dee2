// pbash's own failures: exit 255 with one UTF-8 line on stderr (ARCHITECTURE.md, CLI contract).
export const PBASH_FAILURE = 255;

export function fail(message: string): never {
  process.stderr.write(`pbash: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(PBASH_FAILURE);
}
