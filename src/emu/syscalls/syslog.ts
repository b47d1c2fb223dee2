// syslog(2) (the kernel log's system call, dmesg's fallback and `dmesg -S`): the log itself is kernel/kmsg.ts.
import { CAP, capable } from '../kernel/capability.js';
import type { Task } from '../kernel/task.js';
import { E, err } from '../kernel/errno.js';
import { LOG_BUF_LEN } from '../kernel/kmsg.js';
import { waitOn } from '../kernel/wait-queue.js';
import { partial, type SyscallDef } from './types.js';

const ACTION = {
  CLOSE: 0, OPEN: 1, READ: 2, READ_ALL: 3, READ_CLEAR: 4, CLEAR: 5, CONSOLE_OFF: 6, CONSOLE_ON: 7,
  CONSOLE_LEVEL: 8, SIZE_UNREAD: 9, SIZE_BUFFER: 10,
} as const;
const MINIMUM_CONSOLE_LOGLEVEL = 1;

/** check_syslog_permissions: CAP_SYSLOG unless dmesg_restrict is off and the action only reads all or sizes. */
function mayUse(t: Task, type: number): boolean {
  const restricted = t.kernel.dmesgRestrict || (type !== ACTION.READ_ALL && type !== ACTION.SIZE_BUFFER);
  return !restricted || capable(t.creds, CAP.SYSLOG);
}

/** The reading actions' buffer checks (do_syslog): EINVAL for none or a negative length, EFAULT for a bad one. */
function readBuffer(t: Task, buf: number, len: number): boolean {
  if (!buf || len < 0) throw err(E.EINVAL);
  if (len > 0) t.mem.slices(buf, len, true);
  return len > 0;
}

const put = (t: Task, buf: number, s: string): number => { t.mem.write(buf, Buffer.from(s, 'latin1')); return s.length; };

function syslog(t: Task, type: number, buf: number, len: number): number | Promise<number> {
  if (!mayUse(t, type)) throw err(E.EPERM);
  const log = t.kernel.kmsg;
  switch (type) {
    case ACTION.CLOSE: case ACTION.OPEN: return 0;
    case ACTION.READ:
      if (!readBuffer(t, buf, len)) return 0;
      return waitOn([log.queue], () => (log.unread ? put(t, buf, log.read(len)) : null));
    case ACTION.READ_ALL: case ACTION.READ_CLEAR: {
      if (!readBuffer(t, buf, len)) return 0;
      const n = put(t, buf, log.readAll(len));
      if (type === ACTION.READ_CLEAR) log.clear();
      return n;
    }
    case ACTION.CLEAR: log.clear(); return 0;
    case ACTION.CONSOLE_OFF:
      log.savedConsoleLevel ??= log.consoleLevel;
      log.consoleLevel = MINIMUM_CONSOLE_LOGLEVEL;
      return 0;
    case ACTION.CONSOLE_ON:
      if (log.savedConsoleLevel !== null) { log.consoleLevel = log.savedConsoleLevel; log.savedConsoleLevel = null; }
      return 0;
    case ACTION.CONSOLE_LEVEL:
      if (len < 1 || len > 8) throw err(E.EINVAL);
      log.consoleLevel = Math.max(len, MINIMUM_CONSOLE_LOGLEVEL);
      log.savedConsoleLevel = null;
      return 0;
    case ACTION.SIZE_UNREAD: return log.unread;
    case ACTION.SIZE_BUFFER: return LOG_BUF_LEN;
    default: throw err(E.EINVAL);
  }
}

export const syslogSyscalls: SyscallDef[] = [
  partial(103, 'syslog', ['int', 'ptr', 'int'], 'the console level is kept but no console prints the log (read it with dmesg)', syslog),
];
