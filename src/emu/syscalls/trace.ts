// strace-like formatting of a call for PBASH_STRACE=1: `[tid] name(args)`, strings shown when readable.
import type { Task } from '../kernel/task.js';
import type { SyscallDef } from './types.js';

export function formatCall(t: Task, def: SyscallDef, a: number[]): string {
  const shown = def.args.map((kind, i) => formatArg(t, kind, a[i]));
  return `[${t.tid}] ${def.name}(${shown.join(', ')})`;
}

function formatArg(t: Task, kind: string, v: number): string {
  switch (kind) {
    case 'int': case 'fd': case 'off': case 'size': return String(v);
    case 'flags': case 'ptr': case 'u64': return v === 0 ? '0' : `0x${v.toString(16)}`;
    case 'mode': return `0${v.toString(8)}`;
    case 'path': case 'str':
      if (v === 0) return 'NULL';
      try { return JSON.stringify(t.mem.cstring(v, 256)); } catch { return `0x${v.toString(16)}`; }
    default: return String(v);
  }
}
