// seccomp user notification (SECCOMP_RET_USER_NOTIF with SECCOMP_FILTER_FLAG_NEW_LISTENER; kernel/seccomp.c
// seccomp_do_user_notification and seccomp_notify_ioctl): a syscall a filter hands over waits until a
// supervisor reading the listener fd answers it with a result, an errno, or "continue", or closes the fd.
import { randomBytes } from 'node:crypto';
import type { KTask } from './thread.js';
import type { Kernel } from './kernel.js';
import type { SeccompFilter } from './seccomp.js';
import type { Task } from './task.js';
import { E, err } from './errno.js';
import { ERESTARTNOINTR, ERESTARTSYS, blockers, waitOn } from './wait-queue.js';
import { AnonInodeFile } from '../fs/anon-inode.js';
import { POLL, type IoResult } from '../fs/file.js';
import { O } from '../fs/constants.js';

/** The listener's ioctls (_IOWR/_IOW('!', n, ...)); ID_VALID also under its first, mistaken _IOR number. */
const IOC = { RECV: 0xc0502100, SEND: 0xc0182101, ID_VALID: 0x40082102, ID_VALID_OLD: 0x80082102, ADDFD: 0x40182103, SET_FLAGS: 0x40082104 };
const USER_NOTIF_FLAG_CONTINUE = 1;
const ADDFD_FLAG_SETFD = 1, ADDFD_FLAG_SEND = 2;
const USER_NOTIF_FD_SYNC_WAKE_UP = 1;
const NOTIF_SIZE = 80, RESP_SIZE = 24, ADDFD_SIZE = 24;

interface Notification {
  readonly id: bigint;
  readonly task: KTask;
  /** struct seccomp_data as the filter saw it. */
  readonly data: Uint8Array;
  state: 'init' | 'sent' | 'replied';
  val: bigint;
  error: number;
  flags: number;
}

/** Where a "continue" answer resumes: the syscall at this address runs once more, unfiltered. */
const resumes = new WeakMap<KTask, { ip: bigint; nr: number }>();

/** A "continue" answer waits for its syscall to run again. */
export const continuePending = (t: KTask): boolean => resumes.has(t);

/** Whether this syscall entry is the re-run of one a supervisor let continue (consumed by the check). */
export function resumesContinued(t: KTask, ip: bigint, nr: number): boolean {
  const r = resumes.get(t);
  if (!r) return false;
  resumes.delete(t);
  return r.ip === ip && r.nr === nr;
}

export class SeccompListener extends AnonInodeFile {
  private readonly pending: Notification[] = [];
  // ids start at a random value (seccomp_notify_id), so a supervisor cannot guess another filter's
  private nextId = randomBytes(8).readBigUInt64LE();
  /** The fd was closed: the filter has no listener any more (USER_NOTIF answers ENOSYS). */
  detached = false;

  /** The filter it listens to, once attached. */
  filter: SeccompFilter | null = null;

  /** `waitKillable`: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, only a fatal signal ends a wait once received. */
  constructor(private readonly kernel: Kernel, private readonly waitKillable: boolean) { super(O.RDWR, 'seccomp notify'); }

  /** Some live task runs under the filter (its users count, which drops as each task exits). */
  private inUse(): boolean {
    for (const task of this.kernel.tasks.values()) {
      for (let f = (task as KTask).seccomp?.filter ?? null; f; f = f.prev) if (f === this.filter) return true;
    }
    return false;
  }

  /** Linux names this one without brackets (init_listener: anon_inode_getfile("seccomp notify", ...)). */
  override anonName(): string { return 'anon_inode:seccomp notify'; }

  /** seccomp_notify_poll: readable with a notification to receive, writable with one to answer, HUP unused. */
  override pollMask(): number {
    let m = this.inUse() ? 0 : POLL.HUP;
    for (const n of this.pending) {
      if (n.state === 'init') m |= POLL.IN | POLL.RDNORM;
      else if (n.state === 'sent') m |= POLL.OUT | POLL.WRNORM;
    }
    return m;
  }

  /** Hand `t`'s syscall to the supervisor and park it until answered: the result, or ERESTARTNOINTR to run it. */
  notify(t: KTask, data: Uint8Array, ip: bigint, nr: number): Promise<number> {
    const n: Notification = { id: this.nextId, task: t, data, state: 'init', val: 0n, error: 0, flags: 0 };
    this.nextId = BigInt.asUintN(64, this.nextId + 1n);
    this.pending.push(n);
    this.queue.notify();
    return new Promise<number>((resolve) => {
      const done = (): void => { this.queue.remove(check); blockers.delete(t); this.drop(n); };
      const check = (): void => {
        if (n.state !== 'replied') return;
        done();
        if (n.flags & USER_NOTIF_FLAG_CONTINUE) { resumes.set(t, { ip, nr }); resolve(-ERESTARTNOINTR); } else resolve(n.error || Number(BigInt.asIntN(64, n.val)));
      };
      this.queue.add(check);
      const blocker = {
        interrupt: (): void => {
          if (n.state === 'replied') return check();
          const dying = t.process.exitStatus !== null || t.threadExit;
          if (!dying && this.waitKillable && n.state === 'sent') return;
          done(); // the supervisor's late answer finds nothing (ENOENT); the restarted call asks again
          resolve(-ERESTARTSYS);
        },
      };
      blockers.set(t, blocker);
      if (t.sigDirty) blocker.interrupt();
    });
  }

  private drop(n: Notification): void {
    const i = this.pending.indexOf(n);
    if (i >= 0) this.pending.splice(i, 1);
    this.queue.notify();
  }

  private find(id: bigint): Notification {
    const n = this.pending.find((p) => p.id === id);
    if (!n) throw err(E.ENOENT);
    return n;
  }

  /** The last fd closed (seccomp_notify_detach): every waiting syscall fails with ENOSYS. */
  protected override release(): void {
    this.detached = true;
    for (const n of this.pending) if (n.state !== 'replied') Object.assign(n, { state: 'replied', error: -E.ENOSYS, val: 0n, flags: 0 });
    this.queue.notify();
  }

  override ioctl(t: Task, req: number, arg: number): IoResult {
    switch (req) {
      case IOC.RECV: return this.recv(t, arg);
      case IOC.SEND: return this.send(t, arg);
      case IOC.ID_VALID: case IOC.ID_VALID_OLD: {
        const n = this.pending.find((p) => p.id === t.mem.readBig(arg));
        if (!n || n.state !== 'sent') throw err(E.ENOENT);
        return 0;
      }
      case IOC.ADDFD: return this.addFd(t, arg);
      case IOC.SET_FLAGS:
        if (t.mem.readBig(arg) & ~BigInt(USER_NOTIF_FD_SYNC_WAKE_UP)) throw err(E.EINVAL);
        return 0; // a scheduling hint only
      default: throw err(E.EINVAL);
    }
  }

  /** SECCOMP_IOCTL_NOTIF_RECV: wait for a notification; struct seccomp_notif {id, pid, flags, data}, zeroed by the caller. */
  private recv(t: Task, arg: number): IoResult {
    if (t.mem.read(arg, NOTIF_SIZE).some((b) => b !== 0)) throw err(E.EINVAL);
    return waitOn([this.queue], () => {
      const n = this.pending.find((p) => p.state === 'init');
      if (!n) return null;
      const out = new Uint8Array(NOTIF_SIZE);
      const dv = new DataView(out.buffer);
      dv.setBigUint64(0, n.id, true);
      dv.setUint32(8, n.task.tid, true);
      out.set(n.data, 16);
      t.mem.write(arg, out);
      n.state = 'sent';
      this.queue.notify();
      return 0;
    });
  }

  /** SECCOMP_IOCTL_NOTIF_SEND: struct seccomp_notif_resp {id, val, error, flags}; exactly one answer per notification. */
  private send(t: Task, arg: number): number {
    const dv = new DataView(t.mem.read(arg, RESP_SIZE).buffer);
    const id = dv.getBigUint64(0, true), val = dv.getBigInt64(8, true), error = dv.getInt32(16, true), flags = dv.getUint32(20, true);
    if (flags & ~USER_NOTIF_FLAG_CONTINUE) throw err(E.EINVAL);
    if (flags & USER_NOTIF_FLAG_CONTINUE && (error || val)) throw err(E.EINVAL);
    const n = this.find(id);
    if (n.state !== 'sent') throw err(E.EINPROGRESS);
    Object.assign(n, { state: 'replied', val, error, flags });
    this.queue.notify();
    return 0;
  }

  /**
   * SECCOMP_IOCTL_NOTIF_ADDFD: put a copy of the supervisor's srcfd into the waiting task's table (at newfd with
   * SETFD); with SEND that fd number is also the syscall's answer. Returns the fd number in the target.
   */
  private addFd(t: Task, arg: number): number {
    const dv = new DataView(t.mem.read(arg, ADDFD_SIZE).buffer);
    const id = dv.getBigUint64(0, true), flags = dv.getUint32(8, true), srcfd = dv.getUint32(12, true);
    const newfd = dv.getUint32(16, true), newfdFlags = dv.getUint32(20, true);
    if (newfdFlags & ~O.CLOEXEC) throw err(E.EINVAL);
    if (flags & ~(ADDFD_FLAG_SETFD | ADDFD_FLAG_SEND)) throw err(E.EINVAL);
    if (newfd && !(flags & ADDFD_FLAG_SETFD)) throw err(E.EINVAL);
    const file = t.files.get(srcfd | 0);
    const n = this.find(id);
    if (n.state !== 'sent') throw err(E.EINPROGRESS);
    const cloexec = (newfdFlags & O.CLOEXEC) !== 0;
    const fd = flags & ADDFD_FLAG_SETFD ? n.task.files.installAt(newfd | 0, file, cloexec) : n.task.files.install(file, cloexec);
    if (flags & ADDFD_FLAG_SEND) { Object.assign(n, { state: 'replied', val: BigInt(fd), error: 0, flags: 0 }); this.queue.notify(); }
    return fd;
  }
}
