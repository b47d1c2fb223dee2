// POSIX message queues: mq_open(2), mq_unlink(2), mq_timedsend(2), mq_timedreceive(2), mq_notify(2),
// mq_getsetattr(2) (ipc/mqueue.c). The queues live in kernel/ipc/mqueue.ts, their descriptors in fs/mqueue.
// glibc passes names without their leading slash.
import type { Task } from '../kernel/task.js';
import type { KProcess } from '../kernel/process.js';
import { E, err } from '../kernel/errno.js';
import { MQ_PRIO_MAX, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD, type MqAttr } from '../kernel/ipc/mqueue.js';
import { NSIG } from '../kernel/signals.js';
import { O, S_IFMT, S_IFSOCK } from '../fs/constants.js';
import { MqFile, mqStat } from '../fs/mqueue/mq-file.js';
import { mqueueFs } from '../fs/mqueue/mqueue-fs.js';
import { mayAccess } from '../fs/permission.js';
import { NetlinkSocket } from '../net/netlink-socket.js';
import { readTimespec, struct } from './abi.js';
import { partial, sys, type SyscallDef } from './types.js';

const NAME_MAX = 255;

/** A queue name as the mqueue root's lookup takes it: empty is ENOENT, a slash or a dot name EACCES. */
function mqName(t: Task, addr: number): string {
  const name = t.mem.cstring(addr);
  if (name === '') throw err(E.ENOENT);
  if (name.includes('/') || name === '.' || name === '..') throw err(E.EACCES);
  if (name.length > NAME_MAX) throw err(E.ENAMETOOLONG);
  return name;
}

/** The queue behind `fd`: EBADF for any other file. */
function mqFile(t: Task, fd: number): MqFile {
  const f = t.files.get(fd);
  if (!(f instanceof MqFile)) throw err(E.EBADF);
  return f;
}

/** struct mq_attr: mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs (longs), then reserved. */
function readAttr(t: Task, addr: number): { flags: number } & MqAttr {
  const [flags, maxmsg, msgsize] = [0, 8, 16].map((o) => Number(BigInt.asIntN(64, t.mem.readBig(addr + o))));
  return { flags, maxmsg, msgsize };
}

/** mq_open(2): open the queue `name`, or make it with O_CREAT (mode less the umask; attr or the defaults). */
function mqOpen(t: Task, nameAddr: number, oflag: number, mode: number, attrAddr: number): number {
  const name = mqName(t, nameAddr);
  const attr = attrAddr ? readAttr(t, attrAddr) : null;
  const names = t.kernel.ipc.mq;
  return t.files.install(() => {
    let q = names.queues.get(name);
    if (q) {
      if ((oflag & O.CREAT) && (oflag & O.EXCL)) throw err(E.EEXIST);
      const acc = oflag & O.ACCMODE;
      if (acc === O.ACCMODE) throw err(E.EINVAL);
      const mask = acc === O.RDONLY ? 4 : acc === O.WRONLY ? 2 : 6;
      if (!mayAccess(mqStat(q, 0), t.creds, mask)) throw err(E.EACCES);
    } else {
      if (!(oflag & O.CREAT)) throw err(E.ENOENT);
      q = names.create(t, name, oflag & O.CREAT && attr ? attr : null, mode & ~t.fs.umask);
    }
    return new MqFile(q, oflag & (O.ACCMODE | O.NONBLOCK), mqueueFs(t.kernel).dev);
  }, (oflag & O.CLOEXEC) !== 0);
}

/** An absolute CLOCK_REALTIME deadline, or none. */
const deadline = (t: Task, addr: number): bigint | null => (addr ? readTimespec(t.mem, addr) : null);

/** mq_timedsend(2). */
function mqTimedsend(t: Task, fd: number, ptr: number, len: number, prio: number, timeout: number): number | Promise<number> {
  if (prio >= MQ_PRIO_MAX) throw err(E.EINVAL);
  const until = deadline(t, timeout);
  const f = mqFile(t, fd);
  if (!f.canSend) throw err(E.EBADF);
  if (len > f.mq.attr.msgsize) throw err(E.EMSGSIZE);
  return f.mq.send(t, t.mem.read(ptr, len), prio, f.nonblocking, until);
}

/** mq_timedreceive(2): the message's length; its priority to `prioPtr` when given. */
function mqTimedreceive(t: Task, fd: number, ptr: number, len: number, prioPtr: number, timeout: number): number | Promise<number> {
  const until = deadline(t, timeout);
  const f = mqFile(t, fd);
  if (!f.canReceive) throw err(E.EBADF);
  if (len < f.mq.attr.msgsize) throw err(E.EMSGSIZE);
  return f.mq.receive(f.nonblocking, until, (data, prio) => {
    t.mem.write(ptr, data);
    if (prioPtr) t.mem.writeU32(prioPtr, prio);
    return data.length;
  });
}

const NOTIFY_COOKIE_LEN = 32;

/**
 * mq_notify(2): SIGEV_SIGNAL, SIGEV_NONE, and SIGEV_THREAD as the kernel sees it: a netlink socket (sigev_signo)
 * and a 32-byte cookie (sigev_value) that comes back on that socket (glibc's helper thread starts the function).
 */
function mqNotify(t: Task, fd: number, sevp: number): number {
  const proc = t.process as KProcess;
  if (!sevp) { mqFile(t, fd).mq.setNotify(proc, null); return 0; }
  const value = t.mem.readBig(sevp), signo = t.mem.readI32(sevp + 8), notify = t.mem.readI32(sevp + 12);
  if (notify !== SIGEV_NONE && notify !== SIGEV_SIGNAL && notify !== SIGEV_THREAD) throw err(E.EINVAL);
  if (notify === SIGEV_SIGNAL && (signo < 0 || signo > NSIG)) throw err(E.EINVAL);
  const mq = mqFile(t, fd).mq;
  if (notify === SIGEV_THREAD) {
    const sock = t.files.get(signo); // netlink_getsockbyfilp: a socket, of the netlink family
    if ((sock.stat().mode & S_IFMT) !== S_IFSOCK) throw err(E.ENOTSOCK);
    if (!(sock instanceof NetlinkSocket)) throw err(E.EINVAL);
    const cookie = t.mem.read(Number(value), NOTIFY_COOKIE_LEN);
    mq.setNotify(proc, { proc, notify, signo, value, thread: { cookie, send: (m) => sock.deliver(m), release: () => sock.unref() } });
    sock.ref();
    return 0;
  }
  mq.setNotify(proc, { proc, notify, signo, value });
  return 0;
}

/** mq_getsetattr(2): the attributes before the change; only O_NONBLOCK of mq_flags can change. */
function mqGetsetattr(t: Task, fd: number, newp: number, oldp: number): number {
  const next = newp ? readAttr(t, newp).flags : null;
  if (next !== null && next & ~O.NONBLOCK) throw err(E.EINVAL);
  const f = mqFile(t, fd);
  if (oldp) {
    const b = struct(64);
    [f.flags & O.NONBLOCK, f.mq.attr.maxmsg, f.mq.attr.msgsize, f.mq.msgs.length].forEach((v, i) => b.dv.setBigInt64(8 * i, BigInt(v), true));
    t.mem.write(oldp, b.u8);
  }
  if (next !== null) f.setStatusFlags((f.flags & ~O.NONBLOCK) | next);
  return 0;
}

export const mqueueSyscalls: SyscallDef[] = [
  sys(240, 'mq_open', ['str', 'flags', 'mode', 'ptr'], mqOpen),
  sys(241, 'mq_unlink', ['str'], (t, name) => { t.kernel.ipc.mq.unlink(t.creds, mqName(t, name)); return 0; }),
  sys(242, 'mq_timedsend', ['fd', 'ptr', 'size', 'uint', 'ptr'], mqTimedsend),
  sys(243, 'mq_timedreceive', ['fd', 'ptr', 'size', 'ptr', 'ptr'], mqTimedreceive),
  partial(244, 'mq_notify', ['fd', 'ptr'], 'the owner\'s registration is dropped at the last close of its descriptor or at its exit, not at every close of a dup', mqNotify),
  sys(245, 'mq_getsetattr', ['fd', 'ptr', 'ptr'], mqGetsetattr),
];
