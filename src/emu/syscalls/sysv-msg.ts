// System V message queues: msgget(2), msgsnd(2), msgrcv(2), msgctl(2) (ipc/msg.c). The queues and their
// waiting live in kernel/ipc/msg.ts; this file decodes the calls and the structs.
import { CAP, capable } from '../kernel/capability.js';
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { MSG_COPY, MSG_EXCEPT, MsgQueue, type Msg } from '../kernel/ipc/msg.js';
import { IPC_NOWAIT } from '../kernel/ipc/ids.js';
import { IPC_READ, IPC_WRITE } from '../kernel/ipc/perm.js';
import { struct } from './abi.js';
import { IPC, encodeIpcPerm, ipcSet } from './sysv-ipc.js';
import { sys, type SyscallDef } from './types.js';

const MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13;
/** MSGSSZ and MSGSEG (include/uapi/linux/msg.h): the segment size and count msginfo reports. */
const MSGSSZ = 16, MSGSEG = 0xffff;

/** msgget(2): the queue of `key`, made with IPC_CREAT with msg_qbytes = msgmnb. */
function msgget(t: Task, key: number, flags: number): number {
  const ns = t.kernel.ipc;
  return ns.msg.get(t.creds, key, flags, (perm) => new MsgQueue(perm, ns.limits.msgmnb));
}

/** msgsnd(2): `msgp` is struct msgbuf { long mtype; char mtext[msgsz]; }, mtype > 0, msgsz <= msgmax. */
function msgsnd(t: Task, msqid: number, msgp: number, msgsz: number, flags: number): number | Promise<number> {
  const ns = t.kernel.ipc;
  const type = BigInt.asIntN(64, t.mem.readBig(msgp));
  if (msgsz > ns.limits.msgmax || msqid < 0) throw err(E.EINVAL);
  if (type < 1n) throw err(E.EINVAL);
  const m: Msg = { type, text: t.mem.read(msgp + 8, msgsz) };
  const q = ns.msg.byId(msqid);
  q.perm.check(t.creds, IPC_WRITE);
  return q.send(t.process.pid, m, flags);
}

/** msgrcv(2): the selected message's type and up to msgsz bytes of text into `msgp`; the bytes copied. */
function msgrcv(t: Task, msqid: number, msgp: number, msgsz: number, msgtyp: number, flags: number): number | Promise<number> {
  const ns = t.kernel.ipc;
  if (msqid < 0 || msgsz >= 2 ** 63) throw err(E.EINVAL);
  if (flags & MSG_COPY && (flags & MSG_EXCEPT || !(flags & IPC_NOWAIT))) throw err(E.EINVAL);
  const q = ns.msg.byId(msqid);
  q.perm.check(t.creds, IPC_READ);
  const max = flags & MSG_COPY ? Math.min(msgsz, ns.limits.msgmax) : msgsz;
  return q.receive(t.process.pid, max, BigInt.asIntN(64, BigInt(msgtyp)), flags, (m) => {
    const n = Math.min(msgsz, m.text.length);
    t.mem.writeU64(msgp, BigInt.asUintN(64, m.type));
    t.mem.write(msgp + 8, m.text.subarray(0, n));
    return n;
  });
}

/** struct msqid64_ds (120 bytes). */
function msqidDs(q: MsgQueue): Uint8Array {
  const b = struct(120);
  encodeIpcPerm(q.perm, b.dv);
  [q.stime, q.rtime, q.ctime, q.cbytes, q.msgs.length, q.qbytes].forEach((v, i) => b.dv.setBigInt64(48 + 8 * i, BigInt(v), true));
  b.dv.setInt32(96, q.lspid, true);
  b.dv.setInt32(100, q.lrpid, true);
  return b.u8;
}

/** IPC_INFO / MSG_INFO: struct msginfo; MSG_INFO reports use (queues, messages, bytes) where IPC_INFO has constants. */
function msgInfo(t: Task, cmd: number, buf: number): number {
  const ns = t.kernel.ipc, l = ns.limits;
  let pool = Math.floor((l.msgmni * l.msgmnb) / 1024), map = l.msgmnb, tql = l.msgmnb;
  if (cmd === MSG_INFO) {
    pool = ns.msg.inUse;
    map = tql = 0;
    for (const q of ns.msg) { map += q.msgs.length; tql += q.cbytes; }
  }
  const b = struct(32);
  [pool, map, l.msgmax, l.msgmnb, l.msgmni, MSGSSZ, tql].forEach((v, i) => b.dv.setInt32(4 * i, v, true));
  b.dv.setUint16(28, MSGSEG, true);
  t.mem.write(buf, b.u8);
  return Math.max(0, ns.msg.maxIdx);
}

/** msgctl(2). */
function msgctl(t: Task, msqid: number, cmd: number, buf: number): number {
  const ns = t.kernel.ipc;
  switch (cmd) {
    case IPC.INFO: case MSG_INFO: return msgInfo(t, cmd, buf);
    case IPC.STAT: case MSG_STAT: case MSG_STAT_ANY: {
      const q = cmd === IPC.STAT ? ns.msg.byId(msqid) : ns.msg.byIndex(msqid);
      if (cmd !== MSG_STAT_ANY) q.perm.check(t.creds, IPC_READ);
      t.mem.write(buf, msqidDs(q));
      return cmd === IPC.STAT ? 0 : q.id;
    }
    case IPC.RMID: return ipcSet(t, ns.msg, msqid, cmd, buf, 120);
    case IPC.SET: return ipcSet(t, ns.msg, msqid, cmd, buf, 120, (q, dv) => {
      // raising msg_qbytes past msgmnb needs CAP_SYS_RESOURCE
      const qbytes = Number(dv.getBigUint64(88, true));
      if (qbytes > ns.limits.msgmnb && !capable(t.creds, CAP.SYS_RESOURCE)) throw err(E.EPERM);
      q.qbytes = qbytes;
      q.changed();
    });
    default: throw err(E.EINVAL);
  }
}

export const msgSyscalls: SyscallDef[] = [
  sys(68, 'msgget', ['int', 'flags'], msgget),
  sys(69, 'msgsnd', ['int', 'ptr', 'size', 'flags'], msgsnd),
  sys(70, 'msgrcv', ['int', 'ptr', 'size', 'off', 'flags'], msgrcv),
  sys(71, 'msgctl', ['int', 'int', 'ptr'], msgctl),
];
