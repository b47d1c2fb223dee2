// POSIX message queues (ipc/mqueue.c): named queues of prioritized messages, at most mq_maxmsg of at most
// mq_msgsize bytes each, with waiting senders and receivers, one notification registration, and the
// RLIMIT_MSGQUEUE charge of their creator's user. A queue lives while it has a name or an open description.
import { CAP, capable } from '../capability.js';
import { E, err } from '../errno.js';
import { ERESTARTSYS, WaitQueue, waitOn } from '../wait-queue.js';
import { realtimeNs } from '../clock.js';
import { postToProcess } from '../signal-send.js';
import type { KProcess } from '../process.js';
import type { Credentials, Task } from '../task.js';
import { RLIMIT } from '../rlimits.js';
import type { IpcLimits } from './limits.js';

export const MQ_PRIO_MAX = 32768;
/** The ceilings root may create up to (HARD_MSGMAX, HARD_MSGSIZEMAX). */
const HARD_MSGMAX = 65536, HARD_MSGSIZEMAX = 16 * 1024 * 1024;
/** What the kernel charges per message slot besides its text: a struct msg_msg and a priority tree node. */
const SLOT_COST = 48, PRIO_NODE_COST = 48;
const SI_MESGQ = -3;
export const SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2;

export interface MqAttr { maxmsg: number; msgsize: number; }
interface MqMsg { prio: number; data: Uint8Array; }
/**
 * A registration of mq_notify(3): who gets told, and how. SIGEV_THREAD's is a netlink socket and the caller's
 * 32-byte cookie, sent back to it with its last byte NOTIFY_WOKENUP or NOTIFY_REMOVED (glibc's helper thread
 * reads it); `release` drops the socket reference the registration holds.
 */
export interface MqNotify {
  proc: KProcess; notify: number; signo: number; value: bigint;
  thread?: { cookie: Uint8Array; send: (msg: Uint8Array) => void; release: () => void };
}
const NOTIFY_WOKENUP = 1, NOTIFY_REMOVED = 2;

/** The end of a SIGEV_THREAD registration: its cookie goes back marked with how it ended, if anyone can read it. */
function endThreadNotify(n: MqNotify, how: number | null): void {
  if (!n.thread) return;
  if (how !== null) {
    const msg = Uint8Array.from(n.thread.cookie);
    msg[msg.length - 1] = how;
    n.thread.send(msg);
  }
  n.thread.release();
}

export class MqQueue {
  readonly msgs: MqMsg[] = [];
  qsize = 0;
  notify: MqNotify | null = null;
  /** Receivers parked in mq_timedreceive: a message that arrives for them notifies nobody (pipelined_send). */
  private receivers = 0;
  linked = true;
  opens = 0;
  readonly queue = new WaitQueue();
  readonly ctimeMs = Date.now();

  constructor(readonly name: string, readonly ino: number, readonly attr: MqAttr, public uid: number, public gid: number,
    public mode: number, private readonly charge: () => void) {}

  /** Name gone and no description open: the creator's RLIMIT_MSGQUEUE bytes come back. */
  private maybeFree(): void { if (!this.linked && this.opens === 0) this.charge(); }
  unlinked(): void { this.linked = false; this.maybeFree(); }
  closed(): void { this.opens--; this.maybeFree(); }

  /** mq_timedsend once checked: queue the message (priority order, FIFO within one), waiting while full. */
  send(sender: Task, data: Uint8Array, prio: number, nonblock: boolean, deadlineNs: bigint | null): number | Promise<number> {
    const attempt = (): number | null => {
      if (this.msgs.length >= this.attr.maxmsg) return null;
      let i = this.msgs.findIndex((m) => m.prio < prio);
      if (i < 0) i = this.msgs.length;
      this.msgs.splice(i, 0, { prio, data });
      this.qsize += data.length;
      if (this.msgs.length === 1 && this.receivers === 0) this.fireNotify(sender);
      this.queue.notify();
      return 0;
    };
    return this.wait(attempt, nonblock, deadlineNs);
  }

  /** mq_timedreceive once checked: the oldest message of the highest priority, waiting while empty. */
  receive(nonblock: boolean, deadlineNs: bigint | null, take: (data: Uint8Array, prio: number) => number): number | Promise<number> {
    const attempt = (): number | null => {
      const m = this.msgs.shift();
      if (!m) return null;
      this.qsize -= m.data.length;
      this.queue.notify();
      return take(m.data, m.prio);
    };
    const now = attempt();
    if (now !== null) return now;
    if (nonblock) throw err(E.EAGAIN);
    this.receivers++;
    try {
      return Promise.resolve(this.wait(attempt, false, deadlineNs)).finally(() => { this.receivers--; });
    } catch (e) { this.receivers--; throw e; }
  }

  /** mq_notify: register (EBUSY if another process has), or with `n` null unregister the caller's. */
  setNotify(proc: KProcess, n: MqNotify | null): void {
    const old = this.notify;
    if (!n) {
      if (old?.proc === proc) { this.notify = null; endThreadNotify(old, NOTIFY_REMOVED); }
      return;
    }
    // a registration ends with its process (Linux drops it when the owner closes the queue, as exit does)
    if (old && !old.proc.zombie) throw err(E.EBUSY);
    if (old) endThreadNotify(old, null);
    this.notify = n;
  }

  /** Reading the queue's file (mqueue_read_file). */
  status(): string {
    const n = this.notify;
    return `QSIZE:${String(this.qsize).padEnd(10)} NOTIFY:${String(n ? n.notify : 0).padEnd(5)} ` +
      `SIGNO:${String(n && n.notify === SIGEV_SIGNAL ? n.signo : 0).padEnd(5)} NOTIFY_PID:${String(n ? n.proc.pid : 0).padEnd(6)}\n`;
  }

  /** __do_notify: a message reached an empty queue; the registration fires once and is removed. */
  private fireNotify(sender: Task): void {
    const n = this.notify;
    if (!n) return;
    this.notify = null;
    if (n.notify === SIGEV_SIGNAL && !n.proc.zombie) {
      postToProcess(n.proc, n.signo, { code: SI_MESGQ, pid: sender.process.pid, uid: sender.creds.uid, value: n.value });
    }
    endThreadNotify(n, NOTIFY_WOKENUP);
  }

  private wait(attempt: () => number | null, nonblock: boolean, deadlineNs: bigint | null): number | Promise<number> {
    const now = attempt();
    if (now !== null) return now;
    if (nonblock) throw err(E.EAGAIN);
    const timeoutMs = deadlineNs === null ? undefined : Math.max(0, Number(deadlineNs - realtimeNs()) / 1e6);
    if (timeoutMs === 0) throw err(E.ETIMEDOUT);
    return waitOn([this.queue], attempt, { timeoutMs, interruptErrno: ERESTARTSYS, onTimeout: () => { throw err(E.ETIMEDOUT); } });
  }
}

/** The namespace's queues by name (the mqueue filesystem's root directory) and each user's RLIMIT_MSGQUEUE use. */
export class MqNames {
  readonly queues = new Map<string, MqQueue>();
  private readonly bytesByUid = new Map<number, number>();
  private nextIno = 2;

  constructor(private readonly limits: IpcLimits) {}

  /** The queue called `name`, or ENOENT. */
  get(name: string): MqQueue {
    const q = this.queues.get(name);
    if (!q) throw err(E.ENOENT);
    return q;
  }

  /** A new queue for mq_open(O_CREAT): attr checked against the limits (root: the hard ones), queues_max, and the
   * user's RLIMIT_MSGQUEUE (EMFILE). `mode` has the umask applied already. */
  create(t: Task, name: string, attr: MqAttr | null, mode: number): MqQueue {
    const l = this.limits, c = t.creds, root = capable(c, CAP.SYS_RESOURCE);
    const a = attr ?? { maxmsg: Math.min(l.mqMsgDefault, l.mqMsgMax), msgsize: Math.min(l.mqMsgsizeDefault, l.mqMsgsizeMax) };
    if (attr) {
      if (a.maxmsg <= 0 || a.msgsize <= 0) throw err(E.EINVAL);
      if (root ? a.maxmsg > HARD_MSGMAX || a.msgsize > HARD_MSGSIZEMAX : a.maxmsg > l.mqMsgMax || a.msgsize > l.mqMsgsizeMax) throw err(E.EINVAL);
    }
    if (this.queues.size >= l.mqQueuesMax && !root) throw err(E.ENOSPC);
    const bytes = a.maxmsg * (a.msgsize + SLOT_COST) + Math.min(a.maxmsg, MQ_PRIO_MAX) * PRIO_NODE_COST;
    const used = this.bytesByUid.get(c.uid) ?? 0;
    if (used + bytes > Number(t.process.rlimits[RLIMIT.MSGQUEUE].cur)) throw err(E.EMFILE);
    this.bytesByUid.set(c.uid, used + bytes);
    const uid = c.uid;
    const q = new MqQueue(name, this.nextIno++, a, c.fsuid, c.fsgid, mode & 0o777,
      () => this.bytesByUid.set(uid, (this.bytesByUid.get(uid) ?? bytes) - bytes));
    this.queues.set(name, q);
    return q;
  }

  /** mq_unlink: the owner or root (else EACCES) removes the name. */
  unlink(c: Credentials, name: string): void {
    const q = this.get(name);
    if (c.fsuid !== 0 && c.fsuid !== q.uid) throw err(E.EACCES);
    this.remove(name);
  }

  /** The name goes now, the queue when its last description closes. */
  remove(name: string): void {
    const q = this.get(name);
    this.queues.delete(name);
    q.unlinked();
  }
}
