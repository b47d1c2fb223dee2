// The bash.exe-style command line (ARCHITECTURE.md, "CLI contract"): options first, then what to run.
// Parsed by hand because everything after -e PROG or -- belongs to the Linux program, options included.

export interface RunOptions {
  mode: 'shell' | 'command' | 'exec' | 'words';
  /** -c CMD / -e PROG ARGS / -- WORDS */
  command?: string;
  args: string[];
  distribution?: string;
  user?: string;
  cd?: string;
  root?: string;
  standalone: boolean;
}

export type Parsed = { kind: 'run'; opts: RunOptions } | { kind: 'help' } | { kind: 'version' } | { kind: 'subcommand'; name: string; args: string[] };

export class UsageError extends Error {}

const SUBCOMMANDS = new Set(['status', 'list', 'install', 'import', 'export', 'unregister', 'set-default', 'shutdown', 'terminate', 'path', 'fsck']);

export function parseArgs(argv: string[]): Parsed {
  const opts: RunOptions = { mode: 'shell', args: [], standalone: false };
  if (argv.length && SUBCOMMANDS.has(argv[0])) return { kind: 'subcommand', name: argv[0], args: argv.slice(1) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      if (i + 1 >= argv.length) throw new UsageError(`option ${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '-h': case '--help': return { kind: 'help' };
      case '-V': case '--version': return { kind: 'version' };
      case '-c': opts.mode = 'command'; opts.command = value(); opts.args = argv.slice(i + 1); return { kind: 'run', opts };
      case '-e': case '--exec': opts.mode = 'exec'; opts.command = value(); opts.args = argv.slice(i + 1); return { kind: 'run', opts };
      case '--':
        if (i + 1 >= argv.length) throw new UsageError('-- needs a command');
        opts.mode = 'words'; opts.args = argv.slice(i + 1); return { kind: 'run', opts };
      case '-d': case '--distribution': opts.distribution = value(); break;
      case '-u': case '--user': opts.user = value(); break;
      case '--cd': opts.cd = value(); break;
      case '--root': opts.root = value(); break;
      case '--standalone': opts.standalone = true; break;
      default: throw new UsageError(`unknown option or command: ${a} (see pbash --help)`);
    }
  }
  return { kind: 'run', opts };
}

/** The Linux argv a run form means: -c through /bin/sh (extra words become $0, $1...), -- words joined. */
export function linuxArgv(o: RunOptions): string[] {
  switch (o.mode) {
    case 'command': return ['/bin/sh', '-c', o.command!, ...o.args];
    case 'exec': return [o.command!, ...o.args];
    case 'words': return ['/bin/sh', '-c', o.args.join(' ')];
    case 'shell': return ['-bash'];
  }
}

export const HELP = `Usage:
  pbash                              interactive login shell of the default distro
  pbash -c 'CMD'                     CMD through the distro's /bin/sh
  pbash -e|--exec PROG [ARGS...]     PROG directly, no shell
  pbash -- CMD [ARGS...]             the words joined and run through the shell
Options:
  -d, --distribution NAME   -u, --user NAME   --cd DIR
  --root DIR      a host directory as the root filesystem
  --standalone    run the kernel inside this process (no daemon)
Subcommands:
  pbash status [--json]       the instance: state, sessions, Linux processes
  pbash list [-v] [--json]    distros (installed, and root directories used with --root)
  pbash install [busybox|debian] [--name NAME]       install a distro from a standard image
  pbash import NAME DIR FILE|-                       a distro from a tarball (tar, .gz, .xz, .zst)
  pbash export NAME FILE|- [--format tar|tar.gz]     a distro's filesystem as a tarball
  pbash unregister NAME [--force]                    remove an installed distro and its filesystem
  pbash fsck NAME [-n] [--force]                     check and repair a distro's filesystem (-n: report only)
  pbash set-default NAME|DIR  the distro bare pbash runs
  pbash terminate NAME|DIR    end a distro's Linux processes
  pbash shutdown              end the instance and every Linux process
  pbash path [-a] [-u|-w|-m] PATH  host <-> Linux path translation (as wslpath)
Environment: PBASH_HOME (default ~/.pbash), PBASH_IDLE_MS (instance idle grace, default 15000),
  PBASH_STRACE=1, PBASH_LIBUNICORN
`;
