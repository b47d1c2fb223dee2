// NETLINK_AUDIT (kernel/audit.c audit_receive_msg) for the records user space sends through libaudit's
// audit_log_user_message (PAM, su, shadow's useradd/passwd): with CAP_AUDIT_WRITE they are acknowledged and
// written to the kernel log, as Linux does when no audit daemon listens; EPERM without it. The audit daemon's
// control messages (status, rules, AUDIT_SET) are not provided: EOPNOTSUPP with a diagnostic.
import { E } from '../kernel/errno.js';
import { netlinkReply } from './rtnetlink.js';

export const NETLINK_AUDIT = 9;
const AUDIT_USER = 1005;
/** AUDIT_FIRST_USER_MSG..AUDIT_LAST_USER_MSG and AUDIT_FIRST_USER_MSG2..AUDIT_LAST_USER_MSG2. */
const USER_RANGES = [[1100, 1199], [2100, 2999]] as const;
/**
 * Who sent the records: the socket opener's pid, uid, audit login uid and session (/proc/PID/loginuid, sessionid),
 * CAP_AUDIT_WRITE (netlink_capable), and the kernel log.
 */
export interface AuditSender { pid: number; uid: number; auid: () => number; ses: () => number; mayWrite: boolean; printk(line: string): void; }

let serial = 0;

/** The datagrams answering what a process sent on a NETLINK_AUDIT socket. */
export function auditReply(data: Uint8Array, port: number, s: AuditSender, note: (m: string) => void): Uint8Array[] {
  return netlinkReply(data, port, (type, _flags, body) => {
    if (type !== AUDIT_USER && !USER_RANGES.some(([a, b]) => type >= a && type <= b)) {
      note(`pbash: audit message type ${type} is not provided (user records only) -> EOPNOTSUPP`);
      return { errno: E.EOPNOTSUPP };
    }
    if (!s.mayWrite) return { errno: E.EPERM };
    const text = Buffer.from(body).toString('latin1').replace(/\0[\s\S]*$/, '');
    const now = Date.now();
    const stamp = `${Math.floor(now / 1000)}.${String(now % 1000).padStart(3, '0')}:${++serial}`;
    s.printk(`audit: type=${type} audit(${stamp}): pid=${s.pid} uid=${s.uid} auid=${s.auid()} ses=${s.ses()} msg='${text}'`);
    return null;
  });
}
