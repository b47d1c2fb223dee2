// /proc/<pid>/mem (fs/proc/base.c mem_open, mem_rw, mem_lseek): the process's memory at file offset = address,
// opened with ptrace attach rights; reads and writes stop at the first page that cannot be reached (EIO when
// that is the first one), writes go through read-only private pages as a debugger's do.
import { E, err } from '../../kernel/errno.js';
import type { Task } from '../../kernel/task.js';
import { mayPtrace } from '../../kernel/task-lookup.js';
import type { KTask } from '../../kernel/thread.js';
import type { AddressSpace } from '../../mm/address-space.js';
import { readRemote, writeRemote } from '../../mm/remote-access.js';
import { SEEK_CUR, SEEK_SET, S_IFREG } from '../constants.js';
import type { Dentry } from '../dentry.js';
import { OpenFile } from '../file.js';
import { Node } from '../node.js';
import { type Stat, synthStat } from '../stat.js';
import type { SynthFs } from '../synth.js';

/** Linux copies through one page-sized bounce buffer per round: a larger request is done in such steps. */
const CHUNK = 4096;

export class ProcMemNode extends Node {
  readonly type = S_IFREG;
  constructor(readonly fs: SynthFs, readonly ino: number, private readonly who: () => KTask | null,
    private readonly owner: { uid: number; gid: number }) { super(); }

  stat(): Stat { return synthStat(this.fs.dev, this.ino, S_IFREG | 0o600, this.owner); }

  /** mm_access(PTRACE_MODE_ATTACH): the memory as it is at open; a process without one (a zombie) reads nothing. */
  override open(d: Dentry, flags: number, t: Task): OpenFile {
    const w = this.who();
    if (w && !mayPtrace(t, w)) throw err(E.EACCES);
    return new ProcMemFile(flags, d, w && !w.process.zombie ? w.process.mm : null, () => this.stat());
  }
}

class ProcMemFile extends OpenFile {
  constructor(flags: number, dentry: Dentry, private readonly mm: AddressSpace | null, private readonly st: () => Stat) {
    super(flags, dentry);
  }

  stat(): Stat { return this.st(); }

  /** mem_rw: page-sized rounds; 0 once the process has left this memory (mmget_not_zero). */
  private rw(buf: Uint8Array, pos: number, write: boolean): number {
    const mm = this.mm;
    if (!mm || mm.isClosed) return 0;
    let done = 0;
    while (done < buf.length) {
      const part = buf.subarray(done, done + CHUNK);
      const n = write ? writeRemote(mm, pos + done, part) : readRemote(mm, pos + done, part);
      done += n;
      if (n < part.length) break;
    }
    if (done === 0 && buf.length > 0) throw err(E.EIO);
    return done;
  }

  override read(buf: Uint8Array): number { const n = this.rw(buf, this.pos, false); this.pos += n; return n; }
  override pread(buf: Uint8Array, pos: number): number { return this.rw(buf, pos, false); }
  override write(buf: Uint8Array): number { const n = this.rw(buf, this.pos, true); this.pos += n; return n; }
  override pwrite(buf: Uint8Array, pos: number): number { return this.rw(buf, pos, true); }

  /** mem_lseek: SEEK_SET and SEEK_CUR only (there is no end). */
  override seek(off: number, whence: number): number {
    if (whence === SEEK_SET) this.pos = off;
    else if (whence === SEEK_CUR) this.pos += off;
    else throw err(E.EINVAL);
    return this.pos;
  }
}

