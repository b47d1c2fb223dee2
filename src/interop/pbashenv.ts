// PBASHENV: which variables cross between the host and Linux, and how (WSLENV's format). The value is a
// ':'-separated list of NAME[/FLAGS]; flags: p (the value is a path: translated), l (a list of paths:
// each translated; ';'-separated on Windows hosts, ':' on POSIX hosts and in Linux), u (only host -> Linux),
// w (only Linux -> host). PBASHENV itself always crosses, so the rule list holds on both sides.
import { PathError, hostPathToLinux, linuxPathToHost, type HostView } from './paths.js';

export interface EnvRule { name: string; path: boolean; list: boolean; toLinux: boolean; toHost: boolean; }

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The rules of a PBASHENV value; malformed entries (bad names, unknown flags) are skipped, as WSL does. */
export function parsePbashEnv(value: string | undefined): EnvRule[] {
  const rules: EnvRule[] = [];
  for (const entry of (value ?? '').split(':')) {
    const slash = entry.indexOf('/');
    const name = slash < 0 ? entry : entry.slice(0, slash);
    const flags = slash < 0 ? '' : entry.slice(slash + 1);
    if (!NAME.test(name) || !/^[plwu]*$/.test(flags)) continue;
    const u = flags.includes('u'), w = flags.includes('w');
    rules.push({
      name, path: flags.includes('p'), list: flags.includes('l'),
      // u and w together (or neither): both directions
      toLinux: u || !w, toHost: w || !u,
    });
  }
  return rules;
}

const hostListSep = (v: HostView): string => (v.platform === 'win32' ? ';' : ':');

/** One value crossing host -> Linux; a path that cannot be translated crosses unchanged. */
function toLinuxValue(r: EnvRule, value: string, v: HostView): string {
  const one = (p: string): string => {
    if (p === '') return p;
    try { return hostPathToLinux(p, v); } catch (e) { if (e instanceof PathError) return p; throw e; }
  };
  if (r.list) return value.split(hostListSep(v)).map(one).join(':');
  return r.path ? one(value) : value;
}

/** One value crossing Linux -> host; a path with no host name crosses unchanged. */
function toHostValue(r: EnvRule, value: string, v: HostView): string {
  const one = (p: string): string => {
    if (p === '') return p;
    try { return linuxPathToHost(p, v); } catch (e) { if (e instanceof PathError) return p; throw e; }
  };
  if (r.list) return value.split(':').map(one).join(hostListSep(v));
  return r.path ? one(value) : value;
}

/** The host variables PBASHENV sends into Linux (host -> Linux, at session start), translated. */
export function hostEnvToLinux(host: Record<string, string | undefined>, v: HostView): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of parsePbashEnv(host.PBASHENV)) {
    const value = host[r.name];
    if (r.toLinux && value !== undefined) out[r.name] = toLinuxValue(r, value, v);
  }
  if (host.PBASHENV !== undefined) out.PBASHENV = host.PBASHENV;
  return out;
}

/** The Linux variables PBASHENV sends to a host program (Linux -> host), translated; `linux` is a
 *  process's environment (NAME=value strings). */
export function linuxEnvToHost(linux: readonly string[], v: HostView): Record<string, string> {
  const env = new Map<string, string>();
  for (const e of linux) {
    const eq = e.indexOf('=');
    if (eq > 0 && !env.has(e.slice(0, eq))) env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  const out: Record<string, string> = {};
  for (const r of parsePbashEnv(env.get('PBASHENV'))) {
    const value = env.get(r.name);
    if (r.toHost && value !== undefined) out[r.name] = toHostValue(r, value, v);
  }
  if (env.has('PBASHENV')) out.PBASHENV = env.get('PBASHENV')!;
  return out;
}

/** The host PATH, translated, appended to a Linux PATH (wsl.conf's appendWindowsPath); entries with no
 *  Linux path (relative ones, or all of them when automount is off) are left out. */
export function appendHostPath(linuxPath: string, hostPath: string | undefined, v: HostView): string {
  const dirs = (hostPath ?? '').split(hostListSep(v)).filter(Boolean).flatMap((p) => {
    try { return [hostPathToLinux(p, v)]; } catch (e) { if (e instanceof PathError) return []; throw e; }
  }).filter((d) => d.startsWith('/'));
  return [linuxPath, ...dirs].filter(Boolean).join(':');
}

/** The session's environment: `base` (NAME=value), then the PBASHENV variables of the host environment,
 *  then the host PATH appended when the distro's config asks for it. */
export function sessionEnvironment(base: readonly string[], host: Record<string, string>, v: HostView, withHostPath: boolean): string[] {
  const env = new Map<string, string>();
  for (const e of base) {
    const eq = e.indexOf('=');
    if (eq > 0) env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  for (const [k, val] of Object.entries(hostEnvToLinux(host, v))) env.set(k, val);
  if (withHostPath) env.set('PATH', appendHostPath(env.get('PATH') ?? '', host.PATH, v));
  return [...env].map(([k, val]) => `${k}=${val}`);
}
