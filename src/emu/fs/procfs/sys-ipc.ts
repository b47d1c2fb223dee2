// The IPC sysctls (ipc/ipc_sysctl.c, ipc/mq_sysctl.c): /proc/sys/kernel/{sem,msg*,shm*} and /proc/sys/fs/mqueue.
// Root may change them (the files are 0644 root); a write out of range is EINVAL.
import type { IpcLimits } from '../../kernel/ipc/limits.js';
import { IPCMNI_MAX, parseInts } from '../../kernel/ipc/limits.js';
import { E, err } from '../../kernel/errno.js';
import type { Node } from '../node.js';
import { SynthFile, type SynthFs } from '../synth.js';

type IntKey = { [K in keyof IpcLimits]: IpcLimits[K] extends number ? K : never }[keyof IpcLimits];
type BigKey = { [K in keyof IpcLimits]: IpcLimits[K] extends bigint ? K : never }[keyof IpcLimits];

function file(fs: SynthFs, read: () => string, write: (data: Buffer) => void): Node {
  return new SynthFile(fs, fs.ino(), () => `${read()}\n`, 0o644, { write: (_t, data) => write(data) });
}

const int = (fs: SynthFs, l: IpcLimits, k: IntKey, max = 0x7fffffff): Node =>
  file(fs, () => String(l[k]), (d) => { l[k] = parseInts(d, 1, 0, max)[0]; });

const ulong = (fs: SynthFs, l: IpcLimits, k: BigKey): Node => file(fs, () => String(l[k]), (d) => {
  const w = d.toString('latin1').trim();
  if (!/^\d+$/.test(w) || BigInt(w) > 0xffffffffffffffffn) throw err(E.EINVAL);
  l[k] = BigInt(w);
});

/** kernel.sem: four numbers, tab-separated (semmsl semmns semopm semmni). */
function sem(fs: SynthFs, l: IpcLimits): Node {
  return file(fs, () => [l.semmsl, l.semmns, l.semopm, l.semmni].join('\t'), (d) => {
    const v = parseInts(d, 4);
    if (v.length > 3 && v[3] > IPCMNI_MAX) throw err(E.EINVAL);
    [l.semmsl, l.semmns, l.semopm, l.semmni] = [...v, ...[l.semmsl, l.semmns, l.semopm, l.semmni].slice(v.length)];
  });
}

export function kernelIpcEntries(fs: SynthFs, l: IpcLimits): [string, Node][] {
  return [
    ['sem', sem(fs, l)],
    ['msgmax', int(fs, l, 'msgmax')], ['msgmnb', int(fs, l, 'msgmnb')], ['msgmni', int(fs, l, 'msgmni', IPCMNI_MAX)],
    ['shmmax', ulong(fs, l, 'shmmax')], ['shmall', ulong(fs, l, 'shmall')], ['shmmni', int(fs, l, 'shmmni', IPCMNI_MAX)],
    ['shm_rmid_forced', int(fs, l, 'shmRmidForced', 1)],
  ];
}

/** fs.mqueue (ipc/mq_sysctl.c): msg_max 1..65536, msgsize_max 128..16 MiB, the defaults within the same ranges. */
export function mqueueEntries(fs: SynthFs, l: IpcLimits): [string, Node][] {
  const ranged = (k: IntKey, min: number, max: number): Node =>
    file(fs, () => String(l[k]), (d) => { l[k] = parseInts(d, 1, min, max)[0]; });
  return [
    ['msg_default', ranged('mqMsgDefault', 1, 65536)],
    ['msg_max', ranged('mqMsgMax', 1, 65536)],
    ['msgsize_default', ranged('mqMsgsizeDefault', 128, 16777216)],
    ['msgsize_max', ranged('mqMsgsizeMax', 128, 16777216)],
    ['queues_max', ranged('mqQueuesMax', 0, 0x7fffffff)],
  ];
}
