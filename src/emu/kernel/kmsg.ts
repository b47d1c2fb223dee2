// The kernel log (kernel/printk/printk.c's ring buffer, as syslog(2) and dmesg see it): pbash's boot lines
// and its diagnostics (unimplemented syscalls, CPU errors), each a record with a level and the time since
// boot, formatted "<level>[seconds.micros] text\n". The oldest records go when the 128 KiB buffer is full.
import { WaitQueue } from './wait-queue.js';

/** CONFIG_LOG_BUF_SHIFT 17: what syslog(SYSLOG_ACTION_SIZE_BUFFER) answers. */
export const LOG_BUF_LEN = 1 << 17;
export const KERN = { WARNING: 4, NOTICE: 5, INFO: 6 } as const;

interface Record { seq: number; text: string; }

export class KernelLog {
  private readonly records: Record[] = [];
  private bytes = 0;
  private nextSeq = 0;
  /** The first record READ_ALL shows (SYSLOG_ACTION_CLEAR moves it). */
  private clearSeq = 0;
  /** Where the destructive reader (SYSLOG_ACTION_READ) is: a record and an offset into its text. */
  private readSeq = 0;
  private readOff = 0;
  /** Notified on every new record (a blocked SYSLOG_ACTION_READ). */
  readonly queue = new WaitQueue();
  /** The console log level (SYSLOG_ACTION_CONSOLE_LEVEL/OFF/ON), and the level saved by CONSOLE_OFF. */
  consoleLevel = 7;
  savedConsoleLevel: number | null = null;

  constructor(private readonly bootHr: bigint) {}

  printk(level: number, line: string): void {
    const us = (process.hrtime.bigint() - this.bootHr) / 1000n;
    const stamp = `${String(us / 1000000n).padStart(5)}.${String(us % 1000000n).padStart(6, '0')}`;
    const text = `<${level}>[${stamp}] ${line}\n`;
    this.records.push({ seq: this.nextSeq++, text });
    this.bytes += text.length;
    while (this.bytes > LOG_BUF_LEN) this.bytes -= this.records.shift()!.text.length;
    this.queue.notify();
  }

  private from(seq: number): Record[] { return this.records.filter((r) => r.seq >= seq); }

  /** SYSLOG_ACTION_READ_ALL: the newest whole records since the last clear that fit in `len` bytes. */
  readAll(len: number): string {
    const recs = this.from(this.clearSeq);
    let out = '';
    for (let i = recs.length - 1; i >= 0 && out.length + recs[i]!.text.length <= len; i--) out = recs[i]!.text + out;
    return out;
  }

  clear(): void { this.clearSeq = this.nextSeq; }

  /** Bytes not yet consumed by SYSLOG_ACTION_READ (SYSLOG_ACTION_SIZE_UNREAD). */
  get unread(): number { return this.pending().length; }

  /** SYSLOG_ACTION_READ: consume up to `len` bytes of what has not been read yet ('' when nothing is). */
  read(len: number): string {
    const out = this.pending().slice(0, len);
    let left = out.length;
    for (const r of this.from(this.readSeq)) {
      const avail = r.text.length - (r.seq === this.readSeq ? this.readOff : 0);
      if (left < avail) { this.readOff = (r.seq === this.readSeq ? this.readOff : 0) + left; this.readSeq = r.seq; return out; }
      left -= avail;
    }
    this.readSeq = this.nextSeq;
    this.readOff = 0;
    return out;
  }

  private pending(): string {
    const recs = this.from(this.readSeq);
    const off = recs[0]?.seq === this.readSeq ? this.readOff : 0;
    return recs.map((r) => r.text).join('').slice(off);
  }
}
