// The environment a Linux process launched from the host starts with: a clean login-like set, plus the
// host's terminal type and locale. The instance then adds what PBASHENV sends and the host PATH
// (pbashenv.ts's sessionEnvironment), from the host environment the client passes along.

export const LINUX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function linuxEnvironment(host: NodeJS.ProcessEnv, user = 'root', home = '/root'): string[] {
  const env: Record<string, string> = {
    PATH: LINUX_PATH, HOME: home, USER: user, LOGNAME: user, SHELL: '/bin/sh',
  };
  for (const k of ['TERM', 'LANG', 'LC_ALL', 'LC_CTYPE', 'COLORTERM']) {
    const v = host[k];
    if (v !== undefined) env[k] = v;
  }
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}
