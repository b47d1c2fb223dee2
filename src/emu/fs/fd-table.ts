// A process's file descriptor table (struct files_struct): lowest free fd, per-fd close-on-exec, RLIMIT_NOFILE.
import { E, err } from '../kernel/errno.js';
import { NOFILE_SOFT } from '../kernel/rlimits.js';
import type { OpenFile } from './file.js';
import { releasePosixLocks } from './locks/posix.js';

interface Slot { file: OpenFile; cloexec: boolean; }


export class FdTable {
  private readonly slots: (Slot | undefined)[] = [];
  /** RLIMIT_NOFILE: fds must stay below it (setrlimit changes it). */
  limit = NOFILE_SOFT;

  /** The open file behind fd; EBADF when closed. */
  get(fd: number): OpenFile {
    const s = fd >= 0 ? this.slots[fd] : undefined;
    if (!s) throw err(E.EBADF);
    return s.file;
  }

  has(fd: number): boolean { return fd >= 0 && this.slots[fd] !== undefined; }

  /** Lowest free fd >= min (get_unused_fd_flags); EMFILE at the limit. */
  lowestFree(min = 0): number {
    let fd = min;
    while (this.slots[fd]) fd++;
    if (fd >= this.limit) throw err(E.EMFILE);
    return fd;
  }

  /**
   * Install a file at the lowest free fd >= min. `file` may be a factory, called only once an fd is known
   * to be free, as Linux reserves the fd before opening (so EMFILE wins over the open's own errors).
   */
  install(file: OpenFile | (() => OpenFile), cloexec = false, min = 0): number {
    const fd = this.lowestFree(min);
    const f = typeof file === 'function' ? file() : file;
    this.slots[fd] = { file: f.ref(), cloexec };
    return fd;
  }

  /** Two new files at the two lowest free fds, or neither (pipe2, socketpair). */
  installPair(a: OpenFile, b: OpenFile, cloexec: boolean): [number, number] {
    const fa = this.install(a, cloexec);
    try { return [fa, this.install(b, cloexec)]; } catch (e) { this.close(fa); throw e; }
  }

  /** Put a file at exactly fd, closing what was there (dup2/dup3). EBADF when fd is out of range. */
  installAt(fd: number, file: OpenFile, cloexec = false): number {
    if (fd < 0 || fd >= this.limit) throw err(E.EBADF);
    file.ref();
    const old = this.slots[fd];
    this.slots[fd] = { file, cloexec };
    if (old) this.closed(old.file);
    return fd;
  }

  close(fd: number): void {
    const s = fd >= 0 ? this.slots[fd] : undefined;
    if (!s) throw err(E.EBADF);
    this.slots[fd] = undefined;
    this.trim();
    this.closed(s.file);
  }

  /** filp_close: the table's record locks on the file go with any of its fds, then the reference. */
  private closed(f: OpenFile): void {
    releasePosixLocks(this, f);
    f.unref();
  }

  /** dup(2)/F_DUPFD: the same open file at the lowest free fd >= min, close-on-exec as asked. */
  dup(fd: number, min = 0, cloexec = false): number {
    const f = this.get(fd);
    if (min < 0 || min >= this.limit) throw err(E.EINVAL);
    return this.install(f, cloexec, min);
  }

  /** dup2/dup3: dup3 rejects oldfd == newfd with EINVAL; dup2 returns newfd after checking oldfd. */
  dup2(oldfd: number, newfd: number, cloexec: boolean, isDup3: boolean): number {
    const f = this.get(oldfd);
    if (oldfd === newfd) {
      if (isDup3) throw err(E.EINVAL);
      return newfd;
    }
    return this.installAt(newfd, f, cloexec);
  }

  getCloexec(fd: number): boolean { this.get(fd); return this.slots[fd]!.cloexec; }
  setCloexec(fd: number, on: boolean): void { this.get(fd); this.slots[fd]!.cloexec = on; }

  /** close_range(2): close (or with cloexecOnly, mark close-on-exec) every open fd in [first, last]. */
  closeRange(first: number, last: number, cloexecOnly: boolean): void {
    const end = Math.min(last, this.slots.length - 1);
    for (let fd = first; fd <= end; fd++) {
      const s = this.slots[fd];
      if (!s) continue;
      if (cloexecOnly) s.cloexec = true;
      else this.close(fd);
    }
  }

  /** execve: close every close-on-exec fd. */
  closeOnExec(): void {
    this.slots.forEach((s, fd) => { if (s?.cloexec) this.close(fd); });
  }

  /** fork: a new table sharing the same open files (each gains a reference). */
  clone(): FdTable {
    const t = new FdTable();
    t.limit = this.limit;
    this.slots.forEach((s, fd) => { if (s) t.slots[fd] = { file: s.file.ref(), cloexec: s.cloexec }; });
    return t;
  }

  /** Every open fd in ascending order (for /proc/<pid>/fd and exit). */
  entries(): [number, OpenFile][] {
    const out: [number, OpenFile][] = [];
    this.slots.forEach((s, fd) => { if (s) out.push([fd, s.file]); });
    return out;
  }

  /** Process exit: close everything. */
  closeAll(): void { this.closeRange(0, this.slots.length - 1, false); }

  private trim(): void {
    while (this.slots.length > 0 && this.slots[this.slots.length - 1] === undefined) this.slots.length--;
  }
}
