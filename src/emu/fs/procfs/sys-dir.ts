// /proc/sys (kernel/sysctl.c and the tables it gathers): the instance's kernel parameters. hostname and
// domainname are writable by root (as sethostname(2)); the rest are read-only facts of this kernel.
import { CAP, capable } from '../../kernel/capability.js';
import { randomUUID } from 'node:crypto';
import { E, err } from '../../kernel/errno.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { Task } from '../../kernel/task.js';
import { NR_OPEN } from '../../kernel/rlimits.js';
import type { Node } from '../node.js';
import { type Children, SynthDir, SynthFile, type SynthFs } from '../synth.js';
import { kernelIpcEntries, mqueueEntries } from './sys-ipc.js';
import { AIO_MAX_NR, aioNr } from '../../kernel/aio.js';

/** A sysctl integer as proc_dointvec reads one: blanks around an optional sign and digits, else EINVAL. */
function sysctlInt(data: Buffer): number {
  const m = /^\s*([-+]?\d+)\s*$/.exec(data.toString('latin1'));
  if (!m) throw err(E.EINVAL);
  return Number(m[1]);
}

/** sysctl strings: one trailing newline is dropped on write (proc_dostring). */
const text = (data: Buffer): string => data.toString('latin1').replace(/\n$/, '');

export function sysDir(fs: SynthFs, kernel: Kernel): Node {
  const bootId = randomUUID();
  const ro = (content: (t: Task) => string): Node => new SynthFile(fs, fs.ino(), (t) => `${content(t)}\n`);
  const uts = (field: 'nodename' | 'domainname'): Node => new SynthFile(fs, fs.ino(), () => `${kernel.uts[field]}\n`, 0o644, {
    write: (t, data) => {
      if (!capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM);
      kernel.setUtsName(field, text(data));
    },
  });
  const dir = (entries: [string, Node][]): Node => new SynthDir(fs, fs.ino(), new Map(entries));
  const kernelDir: Children = new Map<string, Node>([
    ['hostname', uts('nodename')],
    ['domainname', uts('domainname')],
    ['osrelease', ro(() => kernel.uts.release)],
    ['ostype', ro(() => kernel.uts.sysname)],
    ['version', ro(() => kernel.uts.version)],
    // root-owned 0644, so only root writes (sysctl files are checked by their mode)
    ['pid_max', new SynthFile(fs, fs.ino(), () => `${kernel.pidMax}\n`, 0o644, { write: (_t, data) => kernel.setPidMax(sysctlInt(data)) })],
    ['ngroups_max', ro(() => '65536')],
    ['dmesg_restrict', new SynthFile(fs, fs.ino(), () => `${kernel.dmesgRestrict ? 1 : 0}\n`, 0o644, {
      write: (t, data) => {
        if (!capable(t.creds, CAP.SYS_ADMIN)) throw err(E.EPERM);
        const v = text(data).trim();
        if (v !== '0' && v !== '1') throw err(E.EINVAL);
        kernel.dmesgRestrict = v === '1';
      },
    })],
    ['random', dir([['boot_id', ro(() => bootId)], ['uuid', ro(() => randomUUID())]])],
    ...kernelIpcEntries(fs, kernel.ipc.limits),
  ]);
  return dir([
    ['kernel', new SynthDir(fs, fs.ino(), kernelDir)],
    // file-max: no system-wide file table limit (files_stat's LONG_MAX); nr_open: RLIMIT_NOFILE's ceiling;
    // aio-nr: the events the live AIO contexts asked for
    ['fs', dir([['file-max', ro(() => '9223372036854775807')], ['nr_open', ro(() => String(NR_OPEN))],
      ['pipe-max-size', ro(() => '1048576')], ['mqueue', dir(mqueueEntries(fs, kernel.ipc.limits))],
      ['aio-nr', ro(() => String(aioNr(kernel)))], ['aio-max-nr', ro(() => String(AIO_MAX_NR))]])],
    // guest memory is NORESERVE host memory: every mapping is granted (OVERCOMMIT_ALWAYS)
    ['vm', dir([['overcommit_memory', ro(() => '1')]])],
  ]);
}
