// Booting a distro's kernel in the instance: the root filesystem first, then the distro's /etc/pbash.conf
// decides the rest, as WSL's init reads /etc/wsl.conf: the host mounts ([automount]), the host name,
// /etc/hosts and /etc/resolv.conf ([network]), the default user ([user]), interop ([interop]: host programs run from Linux) and the boot command ([boot], run as root
// once per boot, as WSL runs it at instance start). Problems become one warning line every session of the
// distro shows on its stderr (and the daemon log has once); the boot itself never fails on them.
import path from 'node:path';
import { Kernel } from '../emu/kernel/kernel.js';
import { rootCaller, rootCreds } from '../emu/kernel/spawn.js';
import { readGuestFile } from '../emu/kernel/users.js';
import { mkdirAt } from '../emu/fs/namespace.js';
import { openAt } from '../emu/fs/open.js';
import { E, LinuxError, strerror } from '../emu/kernel/errno.js';
import { mountHost } from '../emu/fs/setup.js';
import { parseDrvFsOptions } from '../emu/fs/drvfs/options.js';
import type { MetadataStore } from '../emu/fs/drvfs/drvfs.js';
import { AT_FDCWD, O } from '../emu/fs/constants.js';
import type { OpenFile } from '../emu/fs/file.js';
import { hostMountPath, hostToLinux, type HostView } from '../interop/paths.js';
import { CONFIG_PATH, configWarning, defaultConfig, parseDistroConfig, type DistroConfig } from './distro-config.js';
import type { DistroEntry } from './distros.js';
import { LINUX_PATH } from '../interop/environment.js';
import { mountFsTab } from './fstab.js';
import { HostLauncher } from '../interop/host-launcher.js';
import { linuxEnvToHost } from '../interop/pbashenv.js';
import { installBuiltin } from '../emu/kernel/builtin.js';
import { PBASHPATH, pbashpathProgram } from './pbashpath.js';
import { writeNetworkFiles } from './network-files.js';

export interface BootedDistro {
  kernel: Kernel;
  config: DistroConfig;
  /** How host paths look inside this distro (pbashpath, PBASHENV, the session's cwd). */
  view: HostView;
  /** The config's one warning line, or null. */
  warning: string | null;
}

export interface BootOptions {
  strace?: boolean;
  log: (line: string) => void;
  /** The instance's DrvFs metadata store (opened at the first mount that asks for it). */
  metadata: () => MetadataStore;
}

export function bootDistro(d: DistroEntry, o: BootOptions): BootedDistro {
  const kernel = new Kernel({ root: d.root, rootType: d.kind === 'volfs' ? 'volfs' : 'hostfs', strace: o.strace, log: o.log });
  const { config, problems } = readConfig(kernel);
  const c = config.automount;
  // a POSIX host's root at <root>host; Windows drives come with DrvFs on Windows hosts
  if (c.enabled && process.platform !== 'win32') {
    makeDirs(kernel, c.root, problems);
    const { options, problems: bad } = parseDrvFsOptions(c.options);
    problems.push(...bad.map((b) => `${CONFIG_PATH} [automount] ${b}`));
    mountHost(kernel.vfs, { path: `${c.root}host`, hostDir: '/', options, metadata: options.metadata ? o.metadata() : undefined });
  }
  if (c.mountFsTab) {
    const fstab = readOptional(kernel, '/etc/fstab', problems);
    if (fstab !== null) mountFsTab(kernel, fstab, o.metadata, problems);
  }
  if (config.network.hostname !== null) kernel.setUtsName('nodename', config.network.hostname);
  // an installed distro's name resolution follows the host's; a --root directory is run as it is
  if (d.kind === 'volfs') writeNetworkFiles(kernel, { hosts: config.network.generateHosts, resolv: config.network.generateResolvConf }, problems);
  const view: HostView = { platform: process.platform, mountRoot: c.enabled ? c.root : null, distroRoot: d.kind === 'dir' ? path.resolve(d.root) : null };
  installBuiltin(kernel, PBASHPATH, pbashpathProgram(view));
  // [interop] enabled: host programs exec'd from the host mounts run on the host; their environment is
  // the host's (the instance's) with the Linux variables PBASHENV names, translated
  if (config.interop.enabled) kernel.interop = new HostLauncher({ environment: (g) => ({ ...process.env, ...linuxEnvToHost(g, view) }) });
  const warning = configWarning(problems);
  if (warning) o.log(`warning: ${warning}`);
  if (config.boot.command !== null) runBootCommand(kernel, config.boot.command, o.log);
  return { kernel, config, warning, view };
}

/** mkdir -p of the automount root, as WSL's init makes it when the distro lacks it. */
function makeDirs(kernel: Kernel, dir: string, problems: string[]): void {
  let p = '';
  for (const name of dir.split('/').filter(Boolean)) {
    p += `/${name}`;
    try { mkdirAt(rootCaller(kernel), AT_FDCWD, p, 0o755); } catch (e) {
      if (!(e instanceof LinuxError)) throw e;
      if (e.errno !== E.EEXIST) { problems.push(`${CONFIG_PATH} [automount] root ${dir}: cannot make ${p} (${strerror(e.errno)})`); return; }
    }
  }
}

/** The Linux directory of a caller's host cwd: inside a --root tree as itself, elsewhere through the host mount. */
export function linuxCwd(d: DistroEntry, v: HostView, hostCwd: string): string {
  return (d.kind === 'dir' ? hostToLinux(d.root, hostCwd) : null) ?? hostMountPath(hostCwd, v.mountRoot) ?? '/';
}

/** Config files larger than this are refused (a problem), whatever they hold. */
const CONFIG_LIMIT = 1 << 20;

/** A distro file as text (UTF-8), null when it does not exist; a file that cannot be read is a problem. */
function readOptional(kernel: Kernel, file: string, problems: string[]): string | null {
  try { return Buffer.from(readGuestFile(rootCaller(kernel), file, CONFIG_LIMIT), 'latin1').toString('utf8'); } catch (e) {
    if (!(e instanceof LinuxError)) throw e;
    if (e.errno !== E.ENOENT) problems.push(`${file} cannot be read (${strerror(e.errno)})`);
    return null;
  }
}

function readConfig(kernel: Kernel): { config: DistroConfig; problems: string[] } {
  const problems: string[] = [];
  const text = readOptional(kernel, CONFIG_PATH, problems);
  if (text === null) return { config: defaultConfig(), problems };
  return parseDistroConfig(text);
}

/** wsl.conf's [boot] command: `/bin/sh -c COMMAND` as root in /, stdio on /dev/null, not waited for. */
function runBootCommand(kernel: Kernel, command: string, log: (line: string) => void): void {
  let nul: OpenFile | null = null;
  try {
    nul = openAt(rootCaller(kernel), AT_FDCWD, '/dev/null', O.RDWR, 0);
    const proc = kernel.spawn({
      argv: ['/bin/sh', '-c', Buffer.from(command, 'utf8').toString('latin1')], envp: [`PATH=${LINUX_PATH}`, 'HOME=/root'],
      cwd: '/', creds: rootCreds(), stdio: [nul, nul, nul],
    });
    log(`boot command: pid ${proc.pid}: ${JSON.stringify(command)}`);
    void proc.exited.then((s) => log(`boot command: pid ${proc.pid} ended with wait status ${s}`));
  } catch (e) {
    if (!(e instanceof LinuxError)) throw e;
    log(`boot command not started: ${strerror(e.errno)}`);
  } finally {
    // the process holds its own references to the file
    nul?.ref();
    nul?.unref();
  }
}
