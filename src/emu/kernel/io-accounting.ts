// Per-task I/O accounting (include/linux/task_io_accounting.h, fs/read_write.c add_rchar/inc_syscr): the bytes
// and calls of the read and write families, for /proc/<pid>/io. Storage I/O (read_bytes, write_bytes) is not
// counted: files live in the host's filesystem and page cache, so no block request is ever issued by pbash.
import type { IoResult } from '../fs/file.js';

export class IoAccounting {
  rchar = 0;
  wchar = 0;
  syscr = 0;
  syscw = 0;

  add(o: IoAccounting): void {
    this.rchar += o.rchar; this.wchar += o.wchar; this.syscr += o.syscr; this.syscw += o.syscw;
  }

  /**
   * One read (write: false) or write call that reached the file: its bytes once it is done, and the call
   * itself however it ended (vfs_read counts the call after the file's read returns, errors included).
   */
  count(write: boolean, call: () => IoResult): IoResult {
    const done = (n: number): number => {
      if (write) { this.wchar += n; this.syscw++; } else { this.rchar += n; this.syscr++; }
      return n;
    };
    let r: IoResult;
    try { r = call(); } catch (e) { done(0); throw e; }
    return typeof r === 'number' ? done(r) : r.then(done, (e: unknown) => { done(0); throw e; });
  }
}
