// System V message queues (ipc/msg.c): typed messages in arrival order, bounded by msg_qbytes, with senders
// waiting for room and receivers for a matching message. A signal ends either wait with ERESTARTNOHAND
// (EINTR once a handler ran), removal with EIDRM.
import { E, err } from '../errno.js';
import { ERESTARTNOHAND, WaitQueue, waitOn } from '../wait-queue.js';
import { IPC_NOWAIT, IpcObject, col } from './ids.js';
import { ipcNow, type IpcPerm } from './perm.js';

export const MSG_NOERROR = 0o10000, MSG_EXCEPT = 0o20000, MSG_COPY = 0o40000;

export interface Msg { type: bigint; text: Uint8Array; }

export class MsgQueue extends IpcObject {
  readonly msgs: Msg[] = [];
  cbytes = 0;
  stime = 0;
  rtime = 0;
  lspid = 0;
  lrpid = 0;
  /** Notified whenever messages or room change, or the queue goes. */
  readonly queue = new WaitQueue();

  constructor(perm: IpcPerm, public qbytes: number) { super(perm, ipcNow()); }

  destroy(): void { this.queue.notify(); }

  /** msgsnd once checked: append when the text fits within msg_qbytes (bytes and message count), else wait. */
  send(pid: number, m: Msg, flags: number): number | Promise<number> {
    const attempt = (): number | null => {
      if (this.removed) throw err(E.EIDRM);
      if (m.text.length + this.cbytes > this.qbytes || this.msgs.length + 1 > this.qbytes) {
        if (flags & IPC_NOWAIT) throw err(E.EAGAIN);
        return null;
      }
      this.msgs.push(m);
      this.cbytes += m.text.length;
      this.lspid = pid;
      this.stime = ipcNow();
      this.queue.notify();
      return 0;
    };
    return waitOn([this.queue], attempt, { interruptErrno: ERESTARTNOHAND });
  }

  /**
   * msgrcv once checked: the first message `msgtyp` selects (0: any; > 0: that type, or any other with
   * MSG_EXCEPT; < 0: the lowest type up to -msgtyp), or with MSG_COPY the one at index `msgtyp`, left queued.
   * E2BIG when it is longer than `max` without MSG_NOERROR (it stays queued); ENOMSG with IPC_NOWAIT.
   */
  receive(pid: number, max: number, msgtyp: bigint, flags: number, take: (m: Msg) => number): number | Promise<number> {
    const attempt = (): number | null => {
      if (this.removed) throw err(E.EIDRM);
      const i = this.find(msgtyp, flags);
      if (i < 0) {
        if (flags & IPC_NOWAIT) throw err(E.ENOMSG);
        return null;
      }
      const m = this.msgs[i];
      if (m.text.length > max && !(flags & MSG_NOERROR)) throw err(E.E2BIG);
      if (flags & MSG_COPY) {
        if (m.text.length > max) throw err(E.EINVAL); // copy_msg needs room for all of it
        return take(m);
      }
      this.msgs.splice(i, 1);
      this.cbytes -= m.text.length;
      this.lrpid = pid;
      this.rtime = ipcNow();
      this.queue.notify();
      return take(m);
    };
    return waitOn([this.queue], attempt, { interruptErrno: ERESTARTNOHAND });
  }

  /** find_msg: the index of the selected message, -1 when none. */
  private find(msgtyp: bigint, flags: number): number {
    if (flags & MSG_COPY) return msgtyp >= 0n && msgtyp < BigInt(this.msgs.length) ? Number(msgtyp) : -1;
    if (msgtyp === 0n) return this.msgs.length ? 0 : -1;
    if (msgtyp > 0n) return this.msgs.findIndex((m) => (flags & MSG_EXCEPT ? m.type !== msgtyp : m.type === msgtyp));
    let best = -1;
    this.msgs.forEach((m, i) => { if (m.type <= -msgtyp && (best < 0 || m.type < this.msgs[best].type)) best = i; });
    return best;
  }

  /** IPC_SET may give more room: senders try again. */
  changed(): void { this.queue.notify(); }
}

/** /proc/sysvipc/msg (sysvipc_msg_proc_show). */
export const MSG_PROC = {
  header: '       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n',
  line: (q: MsgQueue): string => `${col(q.perm.key, 10)} ${col(q.id, 10)}  ${col(q.perm.mode, 4, 8)}  ${col(q.cbytes, 10)} ` +
    `${col(q.msgs.length, 10)} ${col(q.lspid, 5)} ${col(q.lrpid, 5)} ${col(q.perm.uid, 5)} ${col(q.perm.gid, 5)} ` +
    `${col(q.perm.cuid, 5)} ${col(q.perm.cgid, 5)} ${col(q.stime, 10)} ${col(q.rtime, 10)} ${col(q.ctime, 10)}\n`,
};
