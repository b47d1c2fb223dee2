// The input half of the N_TTY line discipline (drivers/tty/n_tty.c n_tty_receive_char_special and friends):
// input translation, ISIG, IXON, canonical line editing and echo. Reads take complete lines or raw bytes.
import { SIG } from '../../kernel/signals.js';
import { Echo, isCntrl } from './echo.js';
import type { OutputProcessor } from './output.js';
import {
  IFLAG, LFLAG, VEOF, VEOL, VEOL2, VERASE, VINTR, VKILL, VLNEXT, VQUIT, VREPRINT, VSTART, VSTOP, VSUSP, VWERASE,
  VDISABLE, type Termios,
} from './termios.js';

/** The read buffer size (N_TTY_BUF_SIZE): a canonical line holds at most 4095 bytes. */
export const N_TTY_BUF_SIZE = 4096;
const NL = 10, CR = 13;

/** What the line discipline needs from its terminal. */
export interface LdiscHost {
  readonly termios: Termios;
  readonly output: OutputProcessor;
  /** Echo bytes, already output-processed, toward the terminal's user. */
  echo(bytes: Uint8Array): void;
  /** ISIG: a signal for the foreground process group. */
  signal(sig: number): void;
  /** isig without NOFLSH also discards pending output (tty_driver_flush_buffer). */
  flushOutput(): void;
  /** IXON: output stopped (^S) or restarted (^Q, or any key with IXANY). */
  setStopped(stopped: boolean): void;
  readonly stopped: boolean;
  /** Readability may have changed. */
  changed(): void;
}

/** A piece of readable input: a complete canonical line (eol), one ended by VEOF (eof), or raw bytes. */
interface Seg { b: number[]; off: number; eol: boolean; eof: boolean; }

export class LineDiscipline {
  private segs: Seg[] = [];
  /** Readable bytes (complete lines in canonical mode; FIONREAD). */
  private count = 0;
  private readonly ed: Echo;
  private lnext = false;

  constructor(private readonly host: LdiscHost) { this.ed = new Echo(host); }

  get available(): number { return this.count; }
  /** Something to return to a read: a line (or EOF) in canonical mode, any byte otherwise. */
  get lineReady(): boolean { return this.segs.length > 0; }
  /** Room for more input: a writer to the master waits when this is 0. */
  get room(): number {
    const used = this.count + this.ed.line.length;
    if (this.icanon && this.count === 0) return 1; // no complete line: let erase and newline through
    return Math.max(0, N_TTY_BUF_SIZE - 1 - used);
  }
  private get icanon(): boolean { return (this.host.termios.lflag & LFLAG.ICANON) !== 0; }

  /** Feed bytes typed at the terminal; returns how many were taken (fewer when the buffer is full). */
  receive(data: Uint8Array): number {
    let i = 0;
    for (; i < data.length; i++) {
      if (this.room === 0) break;
      this.char(data[i]);
    }
    this.ed.flush();
    if (i) this.host.changed();
    return i;
  }

  private char(c: number): void {
    const t = this.host.termios, l = t.lflag, cc = t.cc;
    const is = (v: number): boolean => cc[v] !== VDISABLE && c === cc[v];
    if (t.iflag & IFLAG.ISTRIP) c &= 0x7f;
    if (t.iflag & IFLAG.IUCLC && l & LFLAG.IEXTEN && c >= 65 && c <= 90) c += 32;
    if (this.host.stopped && t.iflag & IFLAG.IXON && t.iflag & IFLAG.IXANY) this.host.setStopped(false);
    if (this.lnext) {
      this.lnext = false;
      if (l & LFLAG.ECHO) this.ed.input(c);
      this.store(c);
      return;
    }
    if (t.iflag & IFLAG.IXON) {
      if (is(VSTART)) { this.host.setStopped(false); return; }
      if (is(VSTOP)) { this.host.setStopped(true); return; }
    }
    if (l & LFLAG.ISIG) {
      const sig = is(VINTR) ? SIG.SIGINT : is(VQUIT) ? SIG.SIGQUIT : is(VSUSP) ? SIG.SIGTSTP : 0;
      if (sig) { this.isig(sig, c); return; }
    }
    if (c === CR) {
      if (t.iflag & IFLAG.IGNCR) return;
      if (t.iflag & IFLAG.ICRNL) c = NL;
    } else if (c === NL && t.iflag & IFLAG.INLCR) c = CR;
    if (l & LFLAG.ICANON) {
      const ext = (l & LFLAG.IEXTEN) !== 0;
      if (is(VERASE) || is(VKILL) || (ext && is(VWERASE))) {
        this.ed.erase(is(VERASE) ? 'erase' : is(VKILL) ? 'kill' : 'werase', c);
        return;
      }
      if (ext && is(VLNEXT)) { this.lnext = true; this.ed.lnextMark(); return; }
      if (ext && is(VREPRINT) && l & LFLAG.ECHO) { this.ed.reprint(c); return; }
      if (c === NL) {
        if (l & (LFLAG.ECHO | LFLAG.ECHONL)) this.ed.raw(NL);
        this.commitLine([...this.ed.line, NL], false);
        return;
      }
      if (is(VEOF)) { this.commitLine(this.ed.line, true); return; }
      if (is(VEOL) || (ext && is(VEOL2))) {
        if (l & LFLAG.ECHO) this.ed.input(c);
        this.commitLine([...this.ed.line, c], false);
        return;
      }
    }
    if (l & LFLAG.ECHO) { if (c === NL) this.ed.raw(NL); else this.ed.input(c); }
    this.store(c);
  }

  /** n_tty isig(): flush unless NOFLSH, signal the foreground group, echo the character. */
  private isig(sig: number, c: number): void {
    const t = this.host.termios;
    if (!(t.lflag & LFLAG.NOFLSH)) { this.flush(); this.host.flushOutput(); }
    if (t.iflag & IFLAG.IXON) this.host.setStopped(false);
    if (t.lflag & LFLAG.ECHO) this.ed.char(c);
    this.ed.flush();
    this.host.signal(sig);
  }

  private store(c: number): void {
    if (this.icanon) {
      if (this.ed.line.length >= N_TTY_BUF_SIZE - 1 - this.count) return; // full: excess characters are dropped
      this.ed.add(c);
      return;
    }
    const last = this.segs[this.segs.length - 1];
    if (last && !last.eol && !last.eof) last.b.push(c); else this.segs.push({ b: [c], off: 0, eol: false, eof: false });
    this.count++;
  }

  private commitLine(b: number[], eof: boolean): void {
    this.segs.push({ b, off: 0, eol: !eof, eof });
    this.count += b.length;
    this.ed.clearLine();
  }

  /** Canonical read: at most one line; 0 for an empty line ended by VEOF; null when no line is complete. */
  readLine(buf: Uint8Array): number | null {
    const s = this.segs[0];
    if (!s) return null;
    const n = Math.min(buf.length, s.b.length - s.off);
    for (let i = 0; i < n; i++) buf[i] = s.b[s.off + i];
    s.off += n;
    this.count -= n;
    if (s.off === s.b.length) this.segs.shift();
    this.host.changed();
    return n;
  }

  /** Non-canonical read: whatever is there, up to buf.length. */
  readRaw(buf: Uint8Array): number {
    let n = 0;
    while (n < buf.length && this.segs.length) {
      const s = this.segs[0];
      const k = Math.min(buf.length - n, s.b.length - s.off);
      for (let i = 0; i < k; i++) buf[n + i] = s.b[s.off + i];
      n += k;
      s.off += k;
      if (s.off === s.b.length) this.segs.shift();
    }
    this.count -= n;
    if (n) this.host.changed();
    return n;
  }

  /** TCIFLUSH, isig: discard all input. */
  flush(): void {
    this.segs = [];
    this.count = 0;
    this.ed.clearLine();
    this.lnext = false;
    this.host.changed();
  }

  /** n_tty_set_termios: switching ICANON makes pending input one pushed line (on) or raw bytes (off). */
  termiosChanged(old: Termios): void {
    const now = this.host.termios;
    if (!((old.lflag ^ now.lflag) & LFLAG.ICANON)) return;
    const bytes: number[] = [];
    for (const s of this.segs) for (let i = s.off; i < s.b.length; i++) bytes.push(s.b[i]);
    bytes.push(...this.ed.line);
    this.ed.clearLine();
    this.lnext = false;
    this.segs = bytes.length ? [{ b: bytes, off: 0, eol: (now.lflag & LFLAG.ICANON) !== 0, eof: false }] : [];
    this.count = bytes.length;
    this.host.changed();
  }
}

export { isCntrl };
