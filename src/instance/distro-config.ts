// A distro's own settings: /etc/pbash.conf inside it, in wsl.conf's format (INI: [section], key = value,
// '#' or ';' comment lines, values optionally in double quotes) and with wsl.conf's keys. Read when the
// distro's kernel boots. Whatever is wrong (an unknown section or key, a bad value, a line that is not
// INI) is skipped and reported in one warning line; the defaults stand in and the launch never fails.

export interface DistroConfig {
  automount: { enabled: boolean; root: string; options: string; mountFsTab: boolean };
  interop: { enabled: boolean; appendHostPath: boolean };
  user: { default: string | null };
  boot: { command: string | null };
  network: { hostname: string | null; generateHosts: boolean; generateResolvConf: boolean };
}

export const CONFIG_PATH = '/etc/pbash.conf';

export const defaultConfig = (): DistroConfig => ({
  automount: { enabled: true, root: '/mnt/', options: '', mountFsTab: true },
  interop: { enabled: true, appendHostPath: true },
  user: { default: null },
  boot: { command: null },
  network: { hostname: null, generateHosts: true, generateResolvConf: true },
});

type Setter = (c: DistroConfig, v: string) => string | null; // an error text, or null when taken

const bool = (set: (c: DistroConfig, b: boolean) => void): Setter => (c, v) => {
  const b = v.toLowerCase();
  if (b !== 'true' && b !== 'false') return 'not true or false';
  set(c, b === 'true');
  return null;
};
const text = (set: (c: DistroConfig, s: string) => void, check?: (s: string) => string | null): Setter => (c, v) => {
  const why = check?.(v) ?? null;
  if (why === null) set(c, v);
  return why;
};

/** RFC 1123 host names, at most 64 bytes (the kernel's __NEW_UTS_LEN). */
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$/;

const KEYS: Record<string, Record<string, Setter>> = {
  automount: {
    enabled: bool((c, b) => { c.automount.enabled = b; }),
    root: text((c, s) => { c.automount.root = s.endsWith('/') ? s : `${s}/`; },
      (s) => (s.startsWith('/') && !s.split('/').some((n) => n === '.' || n === '..') ? null : 'not an absolute path')),
    options: text((c, s) => { c.automount.options = s; }),
    mountfstab: bool((c, b) => { c.automount.mountFsTab = b; }),
  },
  interop: {
    enabled: bool((c, b) => { c.interop.enabled = b; }),
    appendwindowspath: bool((c, b) => { c.interop.appendHostPath = b; }),
    appendhostpath: bool((c, b) => { c.interop.appendHostPath = b; }),
  },
  user: { default: text((c, s) => { c.user.default = s; }, (s) => (USER.test(s) ? null : 'not a user name')) },
  boot: { command: text((c, s) => { c.boot.command = s; }, (s) => (s.includes('\0') ? 'holds a NUL byte' : null)) },
  network: {
    hostname: text((c, s) => { c.network.hostname = s; }, (s) => (s.length <= 64 && HOSTNAME.test(s) ? null : 'not a host name')),
    generatehosts: bool((c, b) => { c.network.generateHosts = b; }),
    generateresolvconf: bool((c, b) => { c.network.generateResolvConf = b; }),
  },
};

export interface ParsedConfig { config: DistroConfig; problems: string[]; }

/** Parse the file's text; every problem is one short phrase naming its line. */
export function parseDistroConfig(textIn: string): ParsedConfig {
  const config = defaultConfig(), problems: string[] = [];
  let section: Record<string, Setter> | null = null, sectionName = '';
  textIn.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim(), at = `${CONFIG_PATH} line ${i + 1}`;
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const head = /^\[\s*([^\]]*?)\s*\]$/.exec(line);
    if (head) {
      sectionName = head[1]!;
      section = KEYS[sectionName.toLowerCase()] ?? null;
      if (!section) problems.push(`${at}: unknown section [${sectionName}]`);
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) { problems.push(`${at}: not a key = value line`); return; }
    if (!section) { if (sectionName === '') problems.push(`${at}: a key outside any section`); return; }
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    const set = (section as Record<string, Setter>)[key.toLowerCase()];
    if (!set) { problems.push(`${at}: unknown key ${key} in [${sectionName}]`); return; }
    const why = set(config, value);
    if (why) problems.push(`${at}: ${sectionName}.${key} = ${JSON.stringify(value)} is ${why}`);
  });
  return { config, problems };
}

/** The one warning line a launch shows for the problems of a boot's configuration (null when there are none). */
export function configWarning(problems: string[]): string | null {
  return problems.length ? `${problems.join('; ')} (skipped: defaults used)` : null;
}
