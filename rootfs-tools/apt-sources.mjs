// Read the system's own apt sources (one-line *.list and deb822 *.sources) to find a Debian mirror.
// No mirror host name is ever written in this project: the mirror always comes from the system (or
// PBASH_DEBIAN_MIRROR, for hosts without a Debian apt configuration).
import fs from 'node:fs';
import path from 'node:path';

/** @typedef {{types: string[], uris: string[], suites: string[], components: string[], signedBy: string | null, file: string}} AptSource */

/** Parse one-line format: `deb [opts] URI SUITE COMP...`. */
function parseListFile(text, file) {
  /** @type {AptSource[]} */
  const out = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const m = line.match(/^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/);
    if (!m) continue;
    const opts = Object.fromEntries((m[2] || '').trim().split(/\s+/).filter(Boolean).map((o) => o.split('=')));
    out.push({ types: [m[1]], uris: [m[3]], suites: [m[4]], components: m[5].split(/\s+/).filter(Boolean),
      signedBy: opts['signed-by'] || null, file });
  }
  return out;
}

/** Parse deb822 format: paragraphs of `Key: value` separated by blank lines. */
function parseSourcesFile(text, file) {
  /** @type {AptSource[]} */
  const out = [];
  for (const para of text.split(/\n\s*\n/)) {
    /** @type {Record<string, string>} */
    const fields = {};
    let key = null;
    for (const raw of para.split('\n')) {
      if (raw.startsWith('#')) continue;
      if (/^\s/.test(raw) && key) { fields[key] += '\n' + raw.trim(); continue; }
      const m = raw.match(/^([A-Za-z0-9-]+):\s*(.*)$/);
      if (m) { key = m[1].toLowerCase(); fields[key] = m[2]; }
    }
    if (!fields.types || !fields.uris || !fields.suites) continue;
    if ((fields.enabled ?? 'yes').toLowerCase() === 'no') continue;
    const words = (s) => (s ?? '').split(/\s+/).filter(Boolean);
    // an inline (armored) key is not a path: keep Signed-By only when it is one
    const signed = fields['signed-by'];
    out.push({ types: words(fields.types), uris: words(fields.uris), suites: words(fields.suites), components: words(fields.components),
      signedBy: signed && !signed.includes('\n') ? signed.trim() : null, file });
  }
  return out;
}

/** All `deb` sources configured on this system. */
export function readAptSources(etc = '/etc/apt') {
  /** @type {AptSource[]} */
  const all = [];
  const main = path.join(etc, 'sources.list');
  if (fs.existsSync(main)) all.push(...parseListFile(fs.readFileSync(main, 'utf8'), main));
  const dir = path.join(etc, 'sources.list.d');
  if (fs.existsSync(dir)) {
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (name.endsWith('.list')) all.push(...parseListFile(fs.readFileSync(file, 'utf8'), file));
      else if (name.endsWith('.sources')) all.push(...parseSourcesFile(fs.readFileSync(file, 'utf8'), file));
    }
  }
  return all.filter((s) => s.types.includes('deb'));
}

/**
 * The mirror URI serving Debian's main archive (not -security, not -updates, not third-party repos).
 * A source counts when one of its suites is a plain suite name (bookworm, trixie, stable, ...) and it
 * carries the `main` component. PBASH_DEBIAN_MIRROR overrides.
 */
export function findDebianMirror(etc = '/etc/apt') {
  if (process.env.PBASH_DEBIAN_MIRROR) return process.env.PBASH_DEBIAN_MIRROR;
  const plainSuite = (s) => /^[a-z]+$/.test(s);
  for (const src of readAptSources(etc)) {
    if (!src.components.includes('main')) continue;
    if (!src.suites.some(plainSuite)) continue;
    const uri = src.uris.find((u) => /^https?:\/\//.test(u) && !/security/.test(u));
    if (uri) return uri;
  }
  return null;
}
